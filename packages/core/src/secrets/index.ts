export { isSecretVariable, KNOWN_SECRET_VARIABLES, MIN_SECRET_LENGTH, secretForms } from './environment.js';
export { LineMasker } from './lines.js';
export { MASK, type MaskResult, maskSecrets, type SecretMasker, secretMasker } from './mask.js';
export { SECRET_PATTERNS, type SecretPattern } from './patterns.js';
