// What server and client share at run time: no server code, no schema library.
export const ROOM = 'chat:general';

/** What the server pushes: `type` -> `action` -> `data`. */
export type Pushes = { chat: { message: { text: string; from: string; at: string } } };
