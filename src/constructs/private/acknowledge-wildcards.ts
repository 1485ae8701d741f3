import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/**
 * Acknowledges on `scope`, with one reason, the AWS Solutions IAM5 findings (wildcard actions and
 * resources) of a policy document whose wildcards are its purpose, such as a permissions boundary. cdk-nag 3 takes
 * acknowledgements one finding at a time, named as it renders them (`Action::s3:GetObject*`,
 * `Resource::arn:<AWS::Partition>:...`), so they are derived here from the policy itself.
 */
export function acknowledgeWildcards(scope: IConstruct, document: iam.PolicyDocument, reason: string): void {
  const stack = Stack.of(scope);
  const ids = new Set<string>();
  for (const statement of document.toJSON()?.Statement ?? []) {
    if (statement.Effect !== 'Allow') {
      continue;
    }
    for (const action of [statement.Action].flat()) {
      if (typeof action === 'string' && action.includes('*')) {
        ids.add(`Action::${action}`);
      }
    }
    for (const resource of [statement.Resource].flat()) {
      const rendered = renderForNag(stack.resolve(resource));
      if (rendered.includes('*')) {
        ids.add(`Resource::${rendered}`);
      }
    }
  }
  for (const id of ids) {
    Validations.of(scope).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[${id}]`, reason });
  }
}

/**
 * A resolved CloudFormation value as cdk-nag writes it in a finding: `<Logical.Attr>`, `<AWS::Region>`,
 * an export's name, and `${...}` of `Fn::Sub` (an environment-agnostic asset bucket) as `<...>`.
 */
function renderForNag(value: any): string {
  if (typeof value === 'string') {
    return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  }
  if (value?.['Fn::Sub'] !== undefined) {
    return renderForNag(value['Fn::Sub']);
  }
  if (value?.Ref) {
    return `<${value.Ref}>`;
  }
  if (value?.['Fn::GetAtt']) {
    return `<${value['Fn::GetAtt'].join('.')}>`;
  }
  if (value?.['Fn::ImportValue']) {
    return renderForNag(value['Fn::ImportValue']);
  }
  if (value?.['Fn::Join']) {
    const [separator, parts] = value['Fn::Join'];
    return parts.map(renderForNag).join(separator);
  }
  return JSON.stringify(value);
}

/**
 * Acknowledges the IAM5 findings of the policy CDK's grants wrote on `role` (its `DefaultPolicy`),
 * with one reason; call it once the role holds every grant it is built with.
 */
export function acknowledgeRoleWildcards(role: iam.IRole, reason: string): void {
  const policy = role.node.tryFindChild('DefaultPolicy');
  if (policy instanceof iam.Policy) {
    acknowledgeWildcards(role, policy.document, reason);
  }
}
