/** Typed arrays that grow by doubling: per-frame results of an hour (360,000 frames) without a JS array of numbers. */

type TypedArrayConstructor<T> = new (length: number) => T;

class Growable<T extends Float32Array | Float64Array> {
  private data: T;
  length = 0;
  constructor(private readonly make: TypedArrayConstructor<T>, capacity = 1024) {
    this.data = new make(capacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new this.make(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  get(index: number): number {
    return this.data[index]!;
  }

  set(index: number, value: number): void {
    this.data[index] = value;
  }

  /** The live storage (valid up to `length`); replaced when the array grows. */
  get view(): T {
    return this.data;
  }

  /** A copy of exactly the valid part. */
  toArray(): T {
    return this.data.slice(0, this.length) as T;
  }
}

export class GrowableFloat32 extends Growable<Float32Array> {
  constructor(capacity?: number) {
    super(Float32Array, capacity);
  }
}

export class GrowableFloat64 extends Growable<Float64Array> {
  constructor(capacity?: number) {
    super(Float64Array, capacity);
  }
}
