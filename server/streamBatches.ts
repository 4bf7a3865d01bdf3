// Record batches of an Arrow IPC stream arriving over HTTP, each decoded as soon as its
// last byte arrived. Messages come whole and checked from verifiedIpc(); each record batch
// is decoded synchronously together with the schema (and dictionary) messages, as the run
// store reads files. apache-arrow's async stream reader is not used: it hands a batch out
// only once the next message has started to arrive, which would hold every live step back
// until the recorder sends another one.
import { Message, MessageHeader, RecordBatchReader, type RecordBatch } from 'apache-arrow';
import { FormatError, ThoughtlensError } from '../data/index.js';
import { verifiedIpc } from './verifiedIpc.js';

function concat(a: Uint8Array | null, b: Uint8Array): Uint8Array {
  if (!a) return b.slice();
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
}

/** `state.schema` turns true once the schema message was read (for error messages). */
export async function* streamBatches(source: AsyncIterable<Uint8Array>, where: string, state: { schema: boolean } = { schema: false }): AsyncGenerator<RecordBatch> {
  let head: Uint8Array | null = null;
  let at = 0;
  for await (const msg of verifiedIpc(source, where)) {
    if (msg.byteLength < 4) throw new FormatError(`the Arrow stream ends in the middle of a message at byte ${at}`, { file: where });
    const dv = new DataView(msg.buffer, msg.byteOffset, msg.byteLength);
    let len = dv.getInt32(0, true);
    let prefix = 4;
    if (len === -1) {
      if (msg.byteLength < 8) throw new FormatError(`the Arrow stream ends in the middle of a message at byte ${at}`, { file: where });
      len = dv.getInt32(4, true);
      prefix = 8;
    }
    if (len === 0) return; // end-of-stream marker
    let message: Message;
    try {
      message = Message.decode(msg.subarray(prefix, prefix + len));
    } catch (err) {
      throw new FormatError(`the Arrow stream ends in the middle of a message at byte ${at}: ${(err as Error).message}`, { file: where });
    }
    if (msg.byteLength < prefix + len + Number(message.bodyLength)) {
      throw new FormatError(`the Arrow stream ends in the middle of a message at byte ${at}`, { file: where });
    }
    if (message.headerType === MessageHeader.Schema || message.headerType === MessageHeader.DictionaryBatch) {
      if (message.headerType === MessageHeader.Schema && head) throw new FormatError(`second schema message at byte ${at}`, { file: where });
      head = concat(head, msg);
      state.schema = true;
    } else if (message.headerType === MessageHeader.RecordBatch) {
      if (!head) throw new FormatError(`record batch before the schema at byte ${at}`, { file: where });
      if (message.compression != null) throw new FormatError(`compressed Arrow IPC is not supported; send the stream uncompressed`, { file: where });
      let batches: RecordBatch[];
      try {
        batches = [...RecordBatchReader.from(concat(head, msg))];
      } catch (err) {
        if (err instanceof ThoughtlensError) throw err;
        throw new FormatError(`cannot decode the record batch at byte ${at}: ${(err as Error).message}`, { file: where });
      }
      yield* batches;
    }
    at += msg.byteLength;
  }
}
