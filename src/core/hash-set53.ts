/**
 * A set of non-negative integers below 2^53 (53-bit hashes), in one Float64Array with open
 * addressing: 8 bytes a slot, between a quarter and half full (16 to 32 bytes a value, 48 while it
 * grows), where a `Set<number>` takes ~80 and stops at 2^24 values ("Set maximum size exceeded":
 * 16.7 million releases).
 */
export class HashSet53 {
  /** Each slot holds a value + 1 (0: empty). */
  protected slots: Float64Array;
  private count = 0;

  constructor(initialSlots = 1 << 16) {
    let n = 16;
    while (n < initialSlots) n *= 2;
    this.slots = new Float64Array(n);
  }

  get size(): number {
    return this.count;
  }

  /** Add `v`; false when it was there already. */
  add(v: number): boolean {
    return this.insert(v) < 0;
  }

  has(v: number): boolean {
    return Number.isSafeInteger(v) && v >= 0 && this.slots[this.slotFor(this.slots, v + 1)] !== 0;
  }

  /**
   * Add `v`: -1 when it was not there (then added), else its slot. A subclass that keeps a datum per
   * value reads the slot before the set grows (grow: moved).
   */
  protected insert(v: number): number {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`HashSet53 holds integers from 0 to 2^53 - 1, not ${v}`);
    const i = this.slotFor(this.slots, v + 1);
    if (this.slots[i] !== 0) return i;
    this.slots[i] = v + 1;
    this.placed(i);
    if (++this.count * 2 > this.slots.length) this.grow();
    return -1;
  }

  /** A value was put in slot `i` (a subclass sets its datum there). */
  protected placed(_i: number): void {}

  /** The slot that holds a stored value (v + 1) in `slots`, or the empty slot where it goes. */
  protected slotFor(slots: Float64Array, stored: number): number {
    const mask = slots.length - 1;
    for (let i = slotOf(stored, slots.length); ; i = (i + 1) & mask) {
      const x = slots[i]!;
      if (x === 0 || x === stored) return i;
    }
  }

  /**
   * The longest run of consecutive occupied slots (wrapping around): the most a lookup may probe.
   * Values spread well keep it short; values that collide line up in one long run.
   */
  longestRun(): number {
    const slots = this.slots;
    let longest = 0;
    let run = 0;
    // twice around, so that a run through the end continues at the start
    for (let k = 0; k < 2 * slots.length; k++) {
      if (slots[k % slots.length] !== 0) longest = Math.max(longest, Math.min(++run, slots.length));
      else run = 0;
    }
    return longest;
  }

  /** Twice the slots; `moved(from, to)` for each value (its old slot, its new one). */
  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2);
    this.resized(this.slots.length);
    for (let i = 0; i < old.length; i++) {
      const x = old[i]!;
      if (x === 0) continue;
      const to = this.slotFor(this.slots, x);
      this.slots[to] = x;
      this.moved(i, to);
    }
    this.resized(-1);
  }

  /** The slots grow to `size` (-1: done). */
  protected resized(_size: number): void {}

  /** A value moved from slot `from` to slot `to` while the slots grew. */
  protected moved(_from: number, _to: number): void {}
}

/**
 * A HashSet53 that keeps, with each value, the first datum given with it (a number: a double's 53
 * bits of integer, a position): 16 more bytes a value.
 */
export class FirstSeen53 extends HashSet53 {
  private data: Float64Array;
  private oldData: Float64Array | null = null;
  private datum = 0;

  constructor(initialSlots = 1 << 16) {
    super(initialSlots);
    this.data = new Float64Array(this.slots.length);
  }

  /** Add `v` with `datum`: undefined when `v` was not there, else the datum it was first added with. */
  see(v: number, datum: number): number | undefined {
    this.datum = datum;
    const at = this.insert(v);
    return at < 0 ? undefined : this.data[at];
  }

  protected override placed(i: number): void {
    this.data[i] = this.datum;
  }

  protected override resized(size: number): void {
    if (size < 0) this.oldData = null;
    else {
      this.oldData = this.data;
      this.data = new Float64Array(size);
    }
  }

  protected override moved(from: number, to: number): void {
    this.data[to] = this.oldData![from]!;
  }
}

/**
 * The slot of a value among `size` (a power of two): its 53 bits mixed, the slot taken from the high
 * bits of the product (a multiplication carries the low bits of its input up into them; its own low
 * bits would depend on the input's low bits only, and values that differ above them would collide).
 */
function slotOf(stored: number, size: number): number {
  const lo = stored % 0x100000000;
  const hi = Math.floor(stored / 0x100000000);
  const bits = 31 - Math.clz32(size);
  return bits === 0 ? 0 : (Math.imul(lo, 0x9e3779b1) ^ Math.imul(hi, 0x85ebca6b)) >>> (32 - bits);
}
