export {
  RECORD_VARIABLE,
  type RecordedExchange,
  type RecordedProtocol,
  Recorder,
  type RequestWatch,
} from './recorder.js';
