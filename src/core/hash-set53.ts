/**
 * A set of non-negative integers below 2^53 (53-bit hashes), in one Float64Array with open
 * addressing: 8 bytes a slot, between a quarter and half full (16 to 32 bytes a value, 48 while it
 * grows), where a `Set<number>` takes ~80 and stops at 2^24 values ("Set maximum size exceeded":
 * 16.7 million releases).
 */
export class HashSet53 {
  /** Each slot holds a value + 1 (0: empty). */
  private slots: Float64Array;
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
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`HashSet53 holds integers from 0 to 2^53 - 1, not ${v}`);
    if (this.put(this.slots, v + 1)) {
      if (++this.count * 2 > this.slots.length) this.grow();
      return true;
    }
    return false;
  }

  has(v: number): boolean {
    if (!Number.isSafeInteger(v) || v < 0) return false;
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let i = slotOf(v + 1, slots.length); ; i = (i + 1) & mask) {
      const x = slots[i]!;
      if (x === 0) return false;
      if (x === v + 1) return true;
    }
  }

  /** Put a stored value (v + 1) into `slots`; false when it is there already. */
  private put(slots: Float64Array, stored: number): boolean {
    const mask = slots.length - 1;
    for (let i = slotOf(stored, slots.length); ; i = (i + 1) & mask) {
      const x = slots[i]!;
      if (x === 0) {
        slots[i] = stored;
        return true;
      }
      if (x === stored) return false;
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

  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2);
    for (const x of old) if (x !== 0) this.put(this.slots, x);
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
