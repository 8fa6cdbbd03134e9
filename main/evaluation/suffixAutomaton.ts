// A suffix automaton of a text (Blumer et al. 1985): the smallest automaton that accepts exactly
// the text's substrings, built in linear time and at most 2n states and 3n transitions. Walking a
// sample through it gives, at every position, the longest stretch ending there that occurs
// somewhere in the text — which is all the copy checks of textMetrics.ts need.
//
// Transitions are linked lists in typed arrays (the alphabet of one text is small), not a Map per
// state, so a corpus of a few hundred kB costs a few MB.

export class SuffixAutomaton {
  private readonly length: Int32Array;
  private readonly link: Int32Array;
  private readonly firstEdge: Int32Array;
  private readonly edgeChar: Int32Array;
  private readonly edgeTarget: Int32Array;
  private readonly nextEdge: Int32Array;
  private states = 1;
  private edges = 0;
  private last = 0;

  constructor(text: string) {
    const maxStates = 2 * text.length + 2;
    const maxEdges = 3 * text.length + 4;
    this.length = new Int32Array(maxStates);
    this.link = new Int32Array(maxStates).fill(-1);
    this.firstEdge = new Int32Array(maxStates).fill(-1);
    this.edgeChar = new Int32Array(maxEdges);
    this.edgeTarget = new Int32Array(maxEdges);
    this.nextEdge = new Int32Array(maxEdges);
    for (let i = 0; i < text.length; i++) this.extend(text.charCodeAt(i));
  }

  /** The state reached from `state` on `char`, or −1. */
  transition(state: number, char: number): number {
    for (let e = this.firstEdge[state] as number; e !== -1; e = this.nextEdge[e] as number) {
      if (this.edgeChar[e] === char) return this.edgeTarget[e] as number;
    }
    return -1;
  }

  /**
   * Per position i of `sample`: the length of the longest substring of the text that ends at i in
   * the sample (sample[i − len + 1 … i]).
   */
  matchLengths(sample: string): Int32Array {
    const out = new Int32Array(sample.length);
    let state = 0;
    let matched = 0;
    for (let i = 0; i < sample.length; i++) {
      const char = sample.charCodeAt(i);
      while (state !== 0 && this.transition(state, char) === -1) {
        state = this.link[state] as number;
        matched = this.length[state] as number;
      }
      const next = this.transition(state, char);
      if (next === -1) {
        state = 0;
        matched = 0;
      } else {
        state = next;
        matched++;
      }
      out[i] = matched;
    }
    return out;
  }

  private addEdge(from: number, char: number, to: number): void {
    const e = this.edges++;
    this.edgeChar[e] = char;
    this.edgeTarget[e] = to;
    this.nextEdge[e] = this.firstEdge[from] as number;
    this.firstEdge[from] = e;
  }

  private redirect(from: number, char: number, to: number): void {
    for (let e = this.firstEdge[from] as number; e !== -1; e = this.nextEdge[e] as number) {
      if (this.edgeChar[e] === char) {
        this.edgeTarget[e] = to;
        return;
      }
    }
  }

  private extend(char: number): void {
    const current = this.states++;
    this.length[current] = (this.length[this.last] as number) + 1;
    let p = this.last;
    while (p !== -1 && this.transition(p, char) === -1) {
      this.addEdge(p, char, current);
      p = this.link[p] as number;
    }
    if (p === -1) {
      this.link[current] = 0;
    } else {
      const q = this.transition(p, char);
      if ((this.length[p] as number) + 1 === this.length[q]) {
        this.link[current] = q;
      } else {
        const clone = this.states++;
        this.length[clone] = (this.length[p] as number) + 1;
        this.link[clone] = this.link[q] as number;
        for (let e = this.firstEdge[q] as number; e !== -1; e = this.nextEdge[e] as number) {
          this.addEdge(clone, this.edgeChar[e] as number, this.edgeTarget[e] as number);
        }
        while (p !== -1 && this.transition(p, char) === q) {
          this.redirect(p, char, clone);
          p = this.link[p] as number;
        }
        this.link[q] = clone;
        this.link[current] = clone;
      }
    }
    this.last = current;
  }
}
