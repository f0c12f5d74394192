// Messages the user sent whose broadcast has not come back: shown greyed as "pending" in their
// room, sent when the connection is back, and dropped when their own broadcast arrives (the page
// picks each message's id, so one that was sent twice after a lost reply still shows once).
export class Pending {
  #items = [];

  /** A new message for `roomName`, not yet sent. */
  add(roomName, text) {
    const item = { id: crypto.randomUUID(), roomName, text, status: 'pending' };
    this.#items.push(item);
    return item;
  }

  in(roomName) {
    return this.#items.filter(item => item.roomName === roomName);
  }

  /** The ones to send now, in the order they were written. */
  waiting() {
    return this.#items.filter(item => item.status === 'pending');
  }

  /** Its broadcast came back, or the server refused it. */
  settle(id) {
    const before = this.#items.length;
    this.#items = this.#items.filter(item => item.id !== id);
    return this.#items.length !== before;
  }

  forgetRoom(roomName) {
    this.#items = this.#items.filter(item => item.roomName !== roomName);
  }
}
