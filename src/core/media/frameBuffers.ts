/**
 * Frame buffers used again instead of allocated per frame. A 720p RGB frame is 2.7 MB: allocating one for every
 * sampled frame cost the reading thread more than the copying itself (fresh pages to fault in and zero, then
 * hundreds of MB of garbage a minute), measured with --profile. A frame's buffer travels to a frame worker and
 * back (transferred both ways, never copied), and is filled with the next frame.
 */
export class FrameBuffers {
  private readonly free: Uint8Array[] = [];

  /** At most `keep` idle buffers are held (about the frames in flight). */
  constructor(private readonly keep = 8) {}

  /** A buffer of exactly `bytes` bytes, its content undefined (the reader overwrites all of it). */
  take(bytes: number): Uint8Array {
    const index = this.free.findIndex((b) => b.byteLength === bytes);
    if (index < 0) return new Uint8Array(bytes);
    return this.free.splice(index, 1)[0]!;
  }

  /** Hands back a buffer the reader may fill again. */
  give(buffer: Uint8Array): void {
    if (this.free.length < this.keep && buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength) this.free.push(buffer);
  }
}
