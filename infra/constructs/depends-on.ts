/**
 * Keeps `DependsOn` free of dependencies a template already states with `Fn::GetAtt`.
 *
 * aws-cdk-lib makes a Lambda function and a state machine depend on their role (and its default
 * policy); the role is also referenced through `Fn::GetAtt <role>.Arn`, so CloudFormation already
 * orders them and `cfn-lint` warns W3005 on the explicit entry. The policy dependency is kept: it
 * is not implied by any reference, and the function must not run before its permissions exist.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-dependson.html
 */
import { CfnResource, Lazy } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Removes `role` from the `DependsOn` of `scope`'s CloudFormation resource when the template is
 * rendered (after aws-cdk-lib has turned construct dependencies into `DependsOn`).
 */
export function dropDependencyOnReferencedRole(scope: IConstruct, role: IConstruct): void {
  const resource = scope.node.defaultChild;
  const roleResource = role.node.defaultChild;
  if (!(resource instanceof CfnResource) || !(roleResource instanceof CfnResource)) {
    throw new TypeError(`infra › ${scope.node.path}: expected a CloudFormation resource and its role, found ${resource?.constructor.name} and ${roleResource?.constructor.name}`);
  }
  resource.addOverride(
    'DependsOn',
    Lazy.any({
      produce: () => {
        const kept = resource
          .obtainDependencies()
          .filter((d): d is CfnResource => d instanceof CfnResource && d !== roleResource)
          .map((d) => d.logicalId)
          .sort();
        return kept.length === 0 ? undefined : kept;
      },
    }),
  );
}
