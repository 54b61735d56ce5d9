// Writing to a stream with backpressure: each chunk waits for 'drain' when the stream's buffer is full, so an export
// of a large session holds one flow at a time, never the whole session.
import type { Writable } from 'node:stream';

export type ChunkWriter = (text: string) => Promise<void>;

export function chunkWriter(out: Writable): ChunkWriter {
  return (text) =>
    new Promise<void>((resolve, reject) => {
      if (out.destroyed || out.writableEnded) {
        reject(new Error('export stream closed before the export ended'));
        return;
      }
      if (out.write(text)) {
        resolve();
        return;
      }
      const done = (error?: Error) => {
        out.off('drain', onDrain);
        out.off('error', onError);
        out.off('close', onClose);
        if (error) reject(error);
        else resolve();
      };
      const onDrain = () => done();
      const onError = (error: Error) => done(error);
      const onClose = () => done(new Error('export stream closed before the export ended'));
      out.on('drain', onDrain);
      out.on('error', onError);
      out.on('close', onClose);
    });
}
