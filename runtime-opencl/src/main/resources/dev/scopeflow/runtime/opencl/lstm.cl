// The fused LSTM gates (LstmBlockKernels): LSTMBlockGates forward and LSTMBlockGatesGrad backward, TF's
// LSTMBlockCellFprop / LSTMBlockCellBprop without the matrix product. Built once per element type T (float, double).
//
// One work item per state element (j, r) of a [B, H] state, a 2-D launch over (H, B): it reads the four gate columns
// i, j(ci), f, o of row r at j, j + H, j + 2H, j + 3H, so adjacent work items read adjacent addresses in each column.
// The forward sums up to two gate inputs (the host pre-sums more with add_n); the steps follow the composed graph's
// order of operations, and contraction into fma is off so the backward kernel recomputes the unclipped cell state
// bit for bit as the forward one computed it.

#pragma OPENCL FP_CONTRACT OFF

// The logistic function without overflow, as the Sigmoid kernel (math.cl) computes it.
inline T lstm_sigmoid(T x) {
  if (x >= 0) {
    return 1 / (1 + exp(-x));
  }
  T e = exp(x);
  return e / (1 + e);
}

// i, cs, f, o, ci, co, h [B, H] from gates g0 (+ g1 when count == 2) [B, 4H], cs_prev [B, H], b [4H] and the
// peephole weights wci, wcf, wco [H] (read only with peephole). The cell state is clipped to [-clip, clip] when clips.
__kernel void lstm_gates(__global T* i_out, __global T* cs_out, __global T* f_out, __global T* o_out,
                         __global T* ci_out, __global T* co_out, __global T* h_out,
                         __global const T* g0, __global const T* g1, int count,
                         __global const T* cs_prev, __global const T* b,
                         __global const T* wci, __global const T* wcf, __global const T* wco,
                         T forget_bias, T clip, int clips, int peephole, long cells) {
  long j = get_global_id(0);
  long r = get_global_id(1);
  long g = r * 4 * cells + j;
  long s = r * cells + j;
  T pi = g0[g];
  T pc = g0[g + cells];
  T pf = g0[g + 2 * cells];
  T po = g0[g + 3 * cells];
  if (count > 1) {
    pi += g1[g];
    pc += g1[g + cells];
    pf += g1[g + 2 * cells];
    po += g1[g + 3 * cells];
  }
  pi += b[j];
  pc += b[j + cells];
  pf = pf + b[j + 2 * cells] + forget_bias;
  po += b[j + 3 * cells];
  T c_prev = cs_prev[s];
  if (peephole) {
    pi += wci[j] * c_prev;
    pf += wcf[j] * c_prev;
  }
  T vi = lstm_sigmoid(pi);
  T vci = tanh(pc);
  T vf = lstm_sigmoid(pf);
  T vcs = vci * vi + c_prev * vf;
  if (clips) {
    vcs = vcs > clip ? clip : vcs < -clip ? -clip : vcs;
  }
  if (peephole) {
    po += wco[j] * vcs;
  }
  T vo = lstm_sigmoid(po);
  T vco = tanh(vcs);
  i_out[s] = vi;
  cs_out[s] = vcs;
  f_out[s] = vf;
  o_out[s] = vo;
  ci_out[s] = vci;
  co_out[s] = vco;
  h_out[s] = vco * vo;
}

// cs_prev_grad [B, H] and dicfo [B, 4H] from the forward op's inputs and outputs and the gradients of cs and h. The
// gradient reaching the unclipped cell state is zero where that state lies outside [-clip, clip], as the composed
// graph's clip_by_value has it.
__kernel void lstm_gates_grad(__global T* cs_prev_grad, __global T* dicfo,
                              __global const T* cs_prev, __global const T* wci, __global const T* wcf,
                              __global const T* wco, __global const T* i, __global const T* f,
                              __global const T* o, __global const T* ci, __global const T* co,
                              __global const T* cs_grad, __global const T* h_grad,
                              T clip, int clips, int peephole, long cells) {
  long j = get_global_id(0);
  long r = get_global_id(1);
  long s = r * cells + j;
  long g = r * 4 * cells + j;
  T vi = i[s];
  T vf = f[s];
  T vo = o[s];
  T vci = ci[s];
  T vco = co[s];
  T dh = h_grad[s];
  T c_prev = cs_prev[s];
  T d_out = vo * (1 - vo) * dh * vco;
  T dcs = (1 - vco * vco) * dh * vo + cs_grad[s];
  if (peephole) {
    dcs += d_out * wco[j];
  }
  if (clips) {
    T unclipped = vci * vi + c_prev * vf;
    if (!(unclipped <= clip && unclipped >= -clip)) {
      dcs = 0;
    }
  }
  T dci = (1 - vci * vci) * dcs * vi;
  T df = vf * (1 - vf) * dcs * c_prev;
  T di = vi * (1 - vi) * dcs * vci;
  dicfo[g] = di;
  dicfo[g + cells] = dci;
  dicfo[g + 2 * cells] = df;
  dicfo[g + 3 * cells] = d_out;
  T d_prev = dcs * vf;
  if (peephole) {
    d_prev += di * wci[j] + df * wcf[j];
  }
  cs_prev_grad[s] = d_prev;
}

// The peephole weights' gradients, column sums over the batch in row order (one work item per column j):
// wci_grad = sum_r di * cs_prev, wcf_grad = sum_r df * cs_prev, wco_grad = sum_r do * cs.
__kernel void lstm_peephole_grad(__global T* wci_grad, __global T* wcf_grad, __global T* wco_grad,
                                 __global const T* dicfo, __global const T* cs_prev, __global const T* cs,
                                 long batch, long cells) {
  long j = get_global_id(0);
  if (j >= cells) {
    return;
  }
  T sum_i = 0;
  T sum_f = 0;
  T sum_o = 0;
  for (long r = 0; r < batch; r++) {
    long s = r * cells + j;
    long g = r * 4 * cells + j;
    sum_i += dicfo[g] * cs_prev[s];
    sum_f += dicfo[g + 2 * cells] * cs_prev[s];
    sum_o += dicfo[g + 3 * cells] * cs[s];
  }
  wci_grad[j] = sum_i;
  wcf_grad[j] = sum_f;
  wco_grad[j] = sum_o;
}
