export { FLEET_TAG_KEY, type Fleet, type FleetOptions, provisionFleet } from './provision.js';
