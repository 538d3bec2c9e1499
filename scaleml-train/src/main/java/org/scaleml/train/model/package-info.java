/**
 * Models with flat parameter vectors and manual backpropagation: logistic and softmax regression, multilayer
 * perceptrons and a small convolutional network. Models hold only their architecture; workspaces hold per-thread
 * scratch space; kernels run on flat arrays without per-example allocation.
 */
package org.scaleml.train.model;
