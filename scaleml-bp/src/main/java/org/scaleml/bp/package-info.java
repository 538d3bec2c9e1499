/**
 * Factor graphs over discrete variables and belief-propagation engines: synchronous, residual with an exact
 * priority queue, splash, and relaxed residual BP on the MultiQueue and the stealing MultiQueue; readers and writers
 * of the UAI formats and MacKay alist LDPC codes; exact inference for small models; generators.
 */
package org.scaleml.bp;
