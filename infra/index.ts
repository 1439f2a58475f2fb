/**
 * What the `lifeboat` package exports to other CDK apps: the {@link Lifeboat} construct, the
 * lower-level `addLifeboatStacks`, and the plan parser with its types.
 */
export { Lifeboat, type LifeboatProps, packageRoot } from './lifeboat.js';
export { addLifeboatStacks, loadPlanFile, type LifeboatStacks, type LifeboatStacksOptions } from './lifeboat-app.js';
export { BackupStack } from './stacks/backup-stack.js';
export { RecoveryStack } from './stacks/recovery-stack.js';
export { FailbackStack } from './stacks/failback-stack.js';
export { parsePlan, PlanError, type Plan } from '../schemas/plan.js';
