/**
 * The chat's WebSocket routes. Identity comes from the JWT (`sub` = the name picked at login),
 * never from message data, so nobody can post as someone else.
 */

const MAX_TEXT = 2000;

/** @param {() => import('roomcast').WebSocketServer} server */
export function chatRoutes(server) {
  const userOf = clientId => {
    const user = server().clientManager.getClient({ clientId })?.user;
    if (!user) throw new Error('Log in first');
    return String(user.userId);
  };
  const roomOf = (clientId, data) => {
    const roomName = data?.roomName;
    // Only members may post or type in a room: the client is on this node, so the local index knows.
    if (typeof roomName !== 'string' || !server().rooms.get(roomName)?.has(clientId)) {
      throw new Error('Join the room first');
    }
    return roomName;
  };
  const textOf = data => {
    const text = typeof data?.text === 'string' ? data.text.trim() : '';
    if (text === '' || text.length > MAX_TEXT) throw new Error(`Text must be 1 to ${MAX_TEXT} characters`);
    return text;
  };

  return [
    {
      type: 'chat',
      action: 'send',
      handler: async (_ws, clientId, data) => {
        const from = userOf(clientId);
        const roomName = roomOf(clientId, data);
        const message = { roomName, from, text: textOf(data), at: Date.now() };
        await server().broadcastToRoom({
          roomName,
          data: { type: 'chat', action: 'message', data: message },
        });
        return { ok: true };
      },
    },
    {
      type: 'chat',
      action: 'typing',
      handler: async (_ws, clientId, data) => {
        const from = userOf(clientId);
        const roomName = roomOf(clientId, data);
        await server().broadcastToRoom({
          roomName,
          excludeClientId: clientId,
          data: { type: 'chat', action: 'typing', data: { roomName, from } },
          // A typing line is for now only: never stored, never replayed after a reload.
          ephemeral: true,
        });
      },
    },
    {
      type: 'chat',
      action: 'dm',
      handler: (_ws, clientId, data) => {
        const from = userOf(clientId);
        const to = typeof data?.to === 'string' ? data.to : '';
        if (to === '') throw new Error('Say who the message is for');
        const message = { from, to, text: textOf(data), at: Date.now() };
        // Both sides get it, so the sender's other tabs show the conversation too.
        server().broadcastToUsers({
          userIds: [...new Set([to, from])],
          data: { type: 'chat', action: 'dm', data: message },
        });
        return { ok: true };
      },
    },
  ];
}
