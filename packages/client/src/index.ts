// Node entry: everything ./browser exports, with `ws` as the WebSocket when the runtime has none.
// The names below shadow the browser ones of the `export *`.
export * from './browser';
export { createClient, RoomcastClient, WebSocketClient } from './node';
