/*
 * The traffic steps a deployment configuration takes are core's (`routingShifts`): `plan` shows the
 * same steps the local CodeDeploy runs.
 */
export { routingShifts as trafficPlan } from '@codedeploy-gate/core/gate';
