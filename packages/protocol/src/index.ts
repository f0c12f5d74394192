export type { Bus, BusHeader, BusListener, BusMessage, BusMessageKind, DurableHeader } from './bus';
export {
  BusChannel,
  completeDurablePayload,
  decodeBusMessage,
  durableHead,
  encodeBusMessage,
  WebSocketRedisSubscriberEvent,
} from './bus';
export type { MemoryBusOptions } from './bus-core/memory-bus';
export { MemoryBus } from './bus-core/memory-bus';
export type { BusTransport, TransportSink } from './bus-core/transport';
export { TransportBus } from './bus-core/transport-bus';
export type { BusStats, TransportBusOptions } from './bus-core/transport-bus-options';
export { DEFAULT_TRANSPORT_BUS_OPTIONS } from './bus-core/transport-bus-options';
export type { DecodeError, DecodeOptions, DecodeResult } from './codec';
export { checkFrame, decode, encode, isName, isRequestId, utf8Length } from './codec';
export type { Codec, CodecName, ParseResult } from './codecs/codec';
export { jsonCodec, SUBPROTOCOL } from './codecs/codec';
export { CloseCode, ErrorCode, TERMINAL_CLOSE_CODES } from './codes';
export type {
  AppendResult,
  Authenticator,
  AuthUser,
  DurableMessage,
  History,
  HistoryEntry,
  HistoryLatest,
  HistoryOptions,
  HistorySince,
  Logger,
  RoomMember,
  RoomStore,
  StreamPosition,
} from './contracts';
export { newEpoch, silentLogger, withOffset } from './contracts';
export type { LoadControllerOptions, ModuleFiles } from './controller-loader';
export { CONTROLLER_FILE_ENDINGS, loadController } from './controller-loader';
export type { ErrorIssue, RoomcastErrorOptions } from './errors';
export { isRoomcastError, RoomcastError, toPublicError } from './errors';
export type {
  AuthenticatedFrame,
  ClientFrame,
  ConnectedFrame,
  ErrorBody,
  ErrorReplyFrame,
  JoinRoomData,
  JoinRoomReply,
  LeaveRoomData,
  LeaveRoomReply,
  PresenceCountFrame,
  PresenceDiffFrame,
  PresenceFrame,
  PresenceMember,
  PushFrame,
  ReplyFrame,
  RequestId,
  RoomInterruptedFrame,
  RoomNotRecoveredFrame,
  ServerFrame,
  TokenData,
  UnreadableFrameError,
  UserId,
} from './frames';
export { isAnswerFrame, isErrorReplyFrame, isReplyFrame, SystemRoute } from './frames';
export type { Limits, RateLimitOptions } from './limits';
export { DEFAULT_LIMITS, MAX_ID_LENGTH, NAME_PATTERN } from './limits';
export type { InvalidOptionsError } from './options/check-options';
export { checkOptions, invalidOptions } from './options/check-options';
export { closestName } from './options/closest-name';
export type { ObjectOptionType, OptionsSchema, OptionType } from './options/option-types';
export {
  anyObjectOption,
  anyOption,
  arrayOption,
  booleanOption,
  describeValue,
  functionOption,
  numberOption,
  objectOption,
  oneOfOption,
  pickOption,
  requiredOption,
  stringOption,
  unionOption,
} from './options/option-types';
export type { PushAction, PushData, PushMap, PushMessage, PushType } from './push-map';
export type {
  DecodedServerFrame,
  ServerFrameError,
  ServerFrameKind,
  ServerFrameResult,
} from './server-frame';
export { checkServerFrame, decodeServerFrame } from './server-frame';
export type {
  InferSchemaOutput,
  RouteContract,
  RouteMap,
  StandardSchemaIssue,
  StandardSchemaResult,
  StandardSchemaV1,
} from './standard-schema';
export { sameUserId, userIdKey } from './user-id';
