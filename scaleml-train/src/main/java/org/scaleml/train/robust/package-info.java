/**
 * Byzantine-robust gradient aggregation and a simulator of Byzantine workers, as pure, communication-free code.
 *
 * <p>An {@link org.scaleml.train.robust.Aggregator} combines the gradients of all {@code P} workers (gathered by
 * the trainer, in rank order) into one; {@link org.scaleml.train.robust.Aggregators} creates one from a text
 * specification ({@code mean}, {@code median}, {@code trimmed-mean}, {@code krum}, {@code clip}). An
 * {@link org.scaleml.train.robust.Attack} replaces a simulated attacker's honest gradient by what it sends instead;
 * {@link org.scaleml.train.robust.Attacks} creates one ({@code signflip}, {@code scaled}, {@code noise}).
 *
 * <p>Design choices across the package:
 * <ul>
 *   <li><b>Bitwise determinism.</b> Every rank runs the same aggregator on the same gathered gradients and must get
 *       the same bits, or the replicas drift apart. So each rule is sequential, visits ranks and coordinates in a
 *       fixed order, accumulates in {@code double} in that order, and depends only on its inputs and its own state
 *       (never on time, threads or hash order).</li>
 *   <li><b>A total order on floats.</b> Sorting uses {@link java.lang.Float#compare} / {@link
 *       java.lang.Double#compare}, in which NaN is above {@code +Infinity}. An attacker that sends NaN or infinities
 *       is therefore sorted to the top and trimmed away like any large value instead of corrupting the sort; Krum
 *       ranks a NaN score last; centered clipping gives a vector with a non-finite distance weight 0.</li>
 *   <li><b>No allocation per coordinate.</b> Scratch arrays are sized by the world size when the rule is created;
 *       the only later allocation is centered clipping growing its state to the largest slice end it has seen.</li>
 *   <li><b>Slices.</b> Every call works on {@code [off, off + len)} of each vector, so a trainer may aggregate the
 *       whole flat parameter vector at once or layer by layer. Rules that use norms or distances (Krum, centered
 *       clipping) compute them over the slice given, so the two choices differ for them.</li>
 *   <li><b>The number of attackers {@code f}</b> is given when a rule is created; rules that cannot tolerate it
 *       (by the conditions of their papers) are rejected with an {@link java.lang.IllegalArgumentException} then,
 *       not discovered during training. {@code mean} accepts any {@code f}: it is the baseline that shows the
 *       damage.</li>
 *   <li><b>Threat model of the simulator.</b> An attacker sees only its own honest gradient (no collusion, no
 *       knowledge of the others' gradients), and its noise stream is a function of (seed, rank, step, slice
 *       offset), so a resumed run replays it exactly.</li>
 *   <li><b>Thread safety.</b> Factories are stateless; aggregator instances hold scratch space and are not
 *       thread-safe (one per trainer thread); attacks are stateless and may be shared.</li>
 * </ul>
 */
package org.scaleml.train.robust;
