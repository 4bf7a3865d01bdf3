// Small dense linear algebra on row-major Float64Arrays, enough for ridge regression and
// canonical correlation on hidden sizes up to a few thousand: Cholesky solve and the
// cyclic Jacobi eigendecomposition of a symmetric matrix. Plain loops, no tensors.
export { symmetricEigen, type Eigen } from '../../util/symmetricEigen.js';
export { choleskySolve } from '../../util/choleskySolve.js';
export { inverseSqrt } from '../../util/inverseSqrt.js';
