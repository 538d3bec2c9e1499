/**
 * Labelled data sets in primitive arrays (dense or CSR), their readers (IDX, LIBSVM/svmlight, CSV) with errors
 * that name the file and the offset or line, and deterministic sharding and shuffling per rank.
 */
package org.scaleml.train.data;
