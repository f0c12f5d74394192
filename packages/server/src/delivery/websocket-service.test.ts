import { useTestServers } from '@roomcast/test-support/test-servers';
import { describe, expect, it } from 'vitest';
import type { WebSocketServerOptions } from '../options';
import { WebSocketServer } from '../server';
import { WebSocketService } from './websocket-service';

const start = useTestServers((options?: WebSocketServerOptions) => new WebSocketServer(options));

describe('WebSocketService.sendErrorMessage', () => {
  it('sends a plain { message, code } object like an Error, and nothing else of either', async () => {
    const { server, connect } = await start();
    const client = await connect();
    const service = new WebSocketService({ webSocketServer: server });
    await service.sendErrorMessage('failed', { message: 'Boom', code: 'E_FAIL', secret: 'db password' });
    const coded = Object.assign(new Error('Invalid token'), { code: 'E_AUTH', cause: new Error('inner') });
    await service.sendErrorMessage('authFailed', coded);
    await service.sendErrorMessage('plain', 'just text');
    await service.sendErrorMessage('odd', { reason: 'no message here' });
    await client.next(f => f.action === 'odd');
    expect(client.frames.filter(f => f.type === 'error')).toEqual([
      { type: 'error', action: 'failed', data: { message: 'Boom', code: 'E_FAIL' } },
      { type: 'error', action: 'authFailed', data: { message: 'Invalid token', code: 'E_AUTH' } },
      { type: 'error', action: 'plain', data: { message: 'just text' } },
      { type: 'error', action: 'odd', data: { message: 'Error' } },
    ]);
  });
});
