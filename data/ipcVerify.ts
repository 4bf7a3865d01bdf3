// A bounds check of Arrow IPC message metadata before apache-arrow decodes it. The decoder
// trusts flatbuffer vector lengths: a corrupt length (one flipped bit) makes it loop over
// billions of fields or field nodes and run out of memory. Every vector element takes at
// least 4 bytes of metadata, so no honest vector is longer than metadata-length / 4.
import { ByteBuffer } from 'flatbuffers';
import { Message as FbMessage } from 'apache-arrow/fb/message';
import { MessageHeader } from 'apache-arrow/fb/message-header';
import { Schema as FbSchema } from 'apache-arrow/fb/schema';
import type { Field as FbField } from 'apache-arrow/fb/field';
import { RecordBatch as FbRecordBatch } from 'apache-arrow/fb/record-batch';
import { DictionaryBatch as FbDictionaryBatch } from 'apache-arrow/fb/dictionary-batch';
import { FormatError } from './errors.js';

const MAX_DEPTH = 64;

export function verifyMessageMetadata(meta: Uint8Array, file: string, offset: number): void {
  const n = meta.byteLength;
  const fail = (what: string): never => {
    throw new FormatError(`corrupt Arrow message metadata at byte ${offset}: ${what}`, { file });
  };
  if (n < 8) fail(`only ${n} bytes`);
  const bb = new ByteBuffer(meta);
  const root = bb.readUint32(0);
  if (root + 4 > n) fail(`root table offset ${root} outside ${n} bytes`);
  const limit = (len: number, elemBytes: number, what: string) => {
    if (!Number.isInteger(len) || len < 0 || len * elemBytes > n)
      fail(`${what} claims ${len} entries in ${n} bytes`);
  };
  let budget = Math.floor(n / 4);
  const verifyField = (f: FbField, depth: number) => {
    if (depth > MAX_DEPTH) fail(`fields nested deeper than ${MAX_DEPTH}`);
    if (--budget < 0) fail('more fields than the metadata can hold');
    limit(f.childrenLength(), 4, 'a field children list');
    limit(f.customMetadataLength(), 4, 'field metadata');
    for (let i = 0; i < f.childrenLength(); i++) {
      const c = f.children(i);
      if (c) verifyField(c, depth + 1);
    }
  };
  const verifyBatch = (rb: FbRecordBatch | null) => {
    if (!rb) return;
    limit(rb.nodesLength(), 16, 'the field node list');
    limit(rb.buffersLength(), 16, 'the buffer list');
    limit(rb.variadicBufferCountsLength(), 8, 'the variadic buffer counts');
  };
  try {
    const msg = FbMessage.getRootAsMessage(bb);
    limit(msg.customMetadataLength(), 4, 'message metadata');
    switch (msg.headerType()) {
      case MessageHeader.Schema: {
        const s = msg.header(new FbSchema()) as FbSchema | null;
        if (!s) fail('schema message without a schema');
        limit(s!.fieldsLength(), 4, 'the schema field list');
        limit(s!.customMetadataLength(), 4, 'schema metadata');
        limit(s!.featuresLength(), 8, 'schema features');
        for (let i = 0; i < s!.fieldsLength(); i++) {
          const f = s!.fields(i);
          if (f) verifyField(f, 0);
        }
        break;
      }
      case MessageHeader.RecordBatch:
        verifyBatch(msg.header(new FbRecordBatch()) as FbRecordBatch | null);
        break;
      case MessageHeader.DictionaryBatch: {
        const d = msg.header(new FbDictionaryBatch()) as FbDictionaryBatch | null;
        verifyBatch(d ? d.data() : null);
        break;
      }
      case MessageHeader.NONE:
      case MessageHeader.Tensor:
      case MessageHeader.SparseTensor:
        break;
      default:
        fail(`unknown message type ${msg.headerType()}`);
    }
  } catch (err) {
    if (err instanceof FormatError) throw err;
    fail((err as Error).message);
  }
}
