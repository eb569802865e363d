// action.yml's post step: the same bundle as the main step, told to run its post phase.
globalThis.codedeployGatePhase = 'post';
await import('./index.js');
