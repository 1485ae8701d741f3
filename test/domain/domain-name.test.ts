import { assertDomainName, domainNameProblem, MAX_DOMAIN_NAME_LENGTH, suggestDomainName } from '../../src/domain/domain-name';
import { InvalidOptionError } from '../../src/util/invalid-option-error';

test.each(['sales', 'customer-experience', 'hr2', 'a1', 'x'.repeat(MAX_DOMAIN_NAME_LENGTH)])('"%s" is a valid domain name', (name) => {
  expect(domainNameProblem(name)).toBeUndefined();
});

test.each([
  ['Sales', /lowercase letters, digits and hyphens/],
  ['sales_eu', /lowercase letters, digits and hyphens/],
  ['sales.eu', /lowercase letters, digits and hyphens/],
  ['1sales', /start with a lowercase letter/],
  ['-sales', /start with a lowercase letter/],
  ['sales-', /end with a letter or a digit/],
  ['sales--eu', /two hyphens in a row/],
  ['sthree-sales', /"sthree-", which S3 reserves/],
  ['s', /2 to 24/],
  ['x'.repeat(MAX_DOMAIN_NAME_LENGTH + 1), /25 characters long/],
  ['', /0 characters long/],
])('"%s" is refused: %s', (name, reason) => {
  expect(domainNameProblem(name)).toMatch(reason);
});

test('the error names the option, the rule and a valid suggestion', () => {
  expect(() => assertDomainName('Sales_EU')).toThrow(InvalidOptionError);
  expect(() => assertDomainName('Sales_EU')).toThrow(/^Invalid option "domain": "Sales_EU" cannot name a domain: .* For example: "sales-eu"\.$/);
});

test.each([
  ['Sales_EU', 'sales-eu'],
  ['  Customer Experience!! ', 'customer-experience'],
  ['42-marketing', 'marketing'],
  ['sthree-data', 'data'],
  ['x'.repeat(40), 'x'.repeat(MAX_DOMAIN_NAME_LENGTH)],
])('the suggestion for "%s" is "%s", itself valid', (name, suggestion) => {
  expect(suggestDomainName(name)).toBe(suggestion);
  expect(domainNameProblem(suggestion)).toBeUndefined();
});
