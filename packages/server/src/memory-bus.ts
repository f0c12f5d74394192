// MemoryBus lives beside the transport-neutral bus core in @roomcast/protocol (it is the
// in-process transport on that core); the server keeps exporting it, so imports do not change.
export type { MemoryBusOptions } from '@roomcast/protocol';
export { MemoryBus } from '@roomcast/protocol';
