/**
 * Optimizers (SGD with momentum and Nesterov, Adam, weight decay) and learning-rate schedules over flat
 * parameter vectors, with state that can be saved and restored exactly.
 */
package org.scaleml.train.optim;
