import { parseEnvironmentSpecs } from '../../src/domain/environment-spec';

test('name, account and region are read from the flag form', () => {
  expect(parseEnvironmentSpecs(['dev:111111111111:eu-west-1', 'prod::us-gov-west-1', 'test'])).toEqual([
    { name: 'dev', account: '111111111111', region: 'eu-west-1' },
    { name: 'prod', account: undefined, region: 'us-gov-west-1' },
    { name: 'test', account: undefined, region: undefined },
  ]);
});

test.each([
  [['Dev'], /environments\[0\].*environment name "Dev" must be 1 to 10 lowercase letters or digits/],
  [['dev', 'prod:1234'], /environments\[1\].*account "1234" of environment "prod" must be a 12-digit AWS account ID/],
  [['dev:111111111111:europe'], /region "europe" of environment "dev" is not an AWS region name/],
  [['dev:1:2:3'], /"dev:1:2:3" has 4 parts; the form is name\[:account\[:region\]\]/],
  [['dev', 'dev:111111111111'], /environments\[1\].*"dev" is given twice/],
  [[], /give at least one environment/],
])('%j is refused with a message naming the entry and the fix', (specs, message) => {
  expect(() => parseEnvironmentSpecs(specs)).toThrow(message);
});
