export { type CapacityProviderSetting, type EcsSettings, ecsSourceFrom, serviceRef } from './ecs-settings.js';
export { hooksSetting } from './hooks-setting.js';
export { type LambdaSettings, lambdaSourceFrom } from './lambda-settings.js';
export {
  assignmentsSetting,
  choiceSetting,
  existingFileSetting,
  listSetting,
  requiredSetting,
  type SettingNames,
  settingError,
  wholeNumberSetting,
} from './settings.js';
