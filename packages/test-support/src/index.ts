export { type Closable, closeAtEnd, markedEnv, TEST_RUN_VARIABLE } from './cleanup/index.js';
export {
  type CodeDeployStub,
  type CodeDeployStubOptions,
  type RecordedCodeDeployRequest,
  type StubReply,
  startCodeDeployStub,
} from './codedeploy-stub.js';
export { type CountingProxy, startCountingProxy } from './counting-proxy.js';
export { type FakeCredentials, fakeCredentials, leakableParts, leakyHookScript } from './fake-credentials.js';
export { closedPort, type ForwardProxy, type ProxiedRequest, startForwardProxy } from './forward-proxy.js';
export {
  closeSocket,
  identity,
  listenOnSocket,
  makeFifo,
  outputDevice,
  sparseFile,
} from './hostile-paths.js';
export { JUNIT_XSD, type SchemaCheck, validateJunitXml } from './junit-schema.js';
export { describeMachine, type Machine, machineLine } from './machine.js';
export { type ProcessResult, type RunningProcess, startProcess, until } from './process.js';
export { type RevisionFolder, type RevisionSpec, writeRevision } from './revision-folder.js';
export {
  FAKE_S3_CREDENTIALS,
  type RecordedS3Request,
  type S3Fault,
  type S3TestServer,
  type StartS3ServerOptions,
  startS3Server,
} from './s3rver.js';
export { startTlsFront, type TlsFront } from './tls-front.js';
export {
  DAEMONS,
  daemonPids,
  fakeSecrets,
  filesHolding,
  hookRevision,
  isRunning,
  killAll,
  setEnvironment,
  stillRunning,
} from './user-code.js';
