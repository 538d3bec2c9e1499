/**
 * Data-parallel training over the communicator of {@code scaleml-comm}: trainers, checkpoints and run reports.
 *
 * <p>Design choices across the module: a model's parameters are one flat {@code float[]} cut into named layers,
 * so codecs and collectives work per layer without knowing the model; models are stateless (parameters, gradients
 * and scratch space are passed in); every source of randomness (initialization, shuffles, codecs) is seeded, so a
 * synchronous run is a deterministic function of its flags, which is what makes exact resumption from a checkpoint
 * possible. The elastic coordinations ({@link org.scaleml.train.Coordination}: local SGD, SwarmSGD, partial
 * collectives, robust aggregation, Hogwild) are options of the same trainers, not separate stacks: they change
 * only the communication and update of a step, so models, data, reports and checkpoints are shared, and the
 * reports say when a coordination gives up identical models ({@code paramsIdentical}) or reproducibility.
 */
package org.scaleml.train;
