package dev.scopeflow.runtime.cpu.kernels.nn;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.defs.LstmBlockDefs;
import dev.scopeflow.ops.defs.LstmBlockDefs.Attrs;
import dev.scopeflow.ops.defs.LstmBlockDefs.Dims;
import dev.scopeflow.runtime.cpu.Kernel;
import dev.scopeflow.runtime.cpu.KernelContext;
import java.util.function.Supplier;

/**
 * CPU kernels of the fused LSTM gates, {@code LSTMBlockGates} and {@code LSTMBlockGatesGrad}: one pass over the
 * {@code [B, H]} elements, reading the four gate columns of a row together, with the sum of the gate inputs fused in
 * and no temporaries besides the outputs. Large batches split their rows over the cores ({@link ParallelRanges}).
 *
 * <p>float32 sums and products follow the composed graph's order of operations; its sigmoid and tanh are the rational
 * approximation TensorFlow's own CPU kernels use ({@link FloatGateMath}, within 3.5e-7 of the exact values), which
 * runs as SIMD code. float64 uses {@link Math#tanh} and {@code exp} and matches the composed graph exactly.
 */
public final class LstmBlockKernels {
  private LstmBlockKernels() {}

  /** Elements per task below which a pass is not split: forking costs about as much as this many gate updates. */
  private static final int MIN_ELEMENTS_PER_TASK = 4096;

  public static final Kernel GATES = LstmBlockKernels::gates;

  public static final Kernel GATES_GRAD = LstmBlockKernels::gatesGrad;

  // ---------------------------------------------------------------- forward

  private static void gates(KernelContext ctx) {
    int numInputs = ctx.op().numInputs();
    int n = numInputs - LstmBlockDefs.GATES_TRAILING_INPUTS;
    Tensor[] in = new Tensor[numInputs];
    Shape[] shapes = new Shape[numInputs];
    for (int k = 0; k < numInputs; k++) {
      in[k] = ctx.input(k);
      shapes[k] = in[k].shape();
    }
    Dims dims = LstmBlockDefs.checkGates(ctx, shapes, n);
    Attrs attrs = Attrs.of(ctx.op(), true);
    int batch = dims.batch();
    int cells = dims.cellSize();
    Shape outShape = Shape.of(batch, cells);
    DType t = in[0].dtype();
    Object[] outs;
    if (t == DType.FLOAT32) {
      float[][] g = new float[n][];
      for (int k = 0; k < n; k++) {
        g[k] = (float[]) in[k].unsafeArray();
      }
      ForwardF32 pass = new ForwardF32(g, f32(in[n]), f32(in[n + 1]), f32(in[n + 2]), f32(in[n + 3]),
          f32(in[n + 4]), attrs, cells, () -> (float[]) ctx.allocateForOverwrite(t, outShape));
      ParallelRanges.run(batch, cells, MIN_ELEMENTS_PER_TASK, pass::rows);
      outs = new Object[] {pass.i, pass.cs, pass.f, pass.o, pass.ci, pass.co, pass.h};
    } else {
      double[][] g = new double[n][];
      for (int k = 0; k < n; k++) {
        g[k] = (double[]) in[k].unsafeArray();
      }
      ForwardF64 pass = new ForwardF64(g, f64(in[n]), f64(in[n + 1]), f64(in[n + 2]), f64(in[n + 3]),
          f64(in[n + 4]), attrs, cells, () -> (double[]) ctx.allocateForOverwrite(t, outShape));
      ParallelRanges.run(batch, cells, MIN_ELEMENTS_PER_TASK, pass::rows);
      outs = new Object[] {pass.i, pass.cs, pass.f, pass.o, pass.ci, pass.co, pass.h};
    }
    for (int k = 0; k < 7; k++) {
      ctx.setOutput(k, Tensor.unsafeWrap(t, outShape, outs[k]));
    }
  }

  /** One float32 forward pass: inputs, attributes and the seven outputs; {@link #rows} fills a range of rows. */
  private static final class ForwardF32 {
    final float[][] gates;
    final float[] csPrev;
    final float[] b;
    final float[] wci;
    final float[] wcf;
    final float[] wco;
    final float forgetBias;
    final float clip;
    final boolean clips;
    final boolean peephole;
    final int cells;
    final float[] i;
    final float[] cs;
    final float[] f;
    final float[] o;
    final float[] ci;
    final float[] co;
    final float[] h;

    ForwardF32(float[][] gates, float[] csPrev, float[] b, float[] wci, float[] wcf, float[] wco, Attrs attrs,
        int cells, Supplier<float[]> output) {
      this.gates = gates;
      this.csPrev = csPrev;
      this.b = b;
      this.wci = wci;
      this.wcf = wcf;
      this.wco = wco;
      this.forgetBias = (float) attrs.forgetBias();
      this.clip = (float) attrs.cellClip();
      this.clips = attrs.clips();
      this.peephole = attrs.usePeephole();
      this.cells = cells;
      this.i = output.get();
      this.cs = output.get();
      this.f = output.get();
      this.o = output.get();
      this.ci = output.get();
      this.co = output.get();
      this.h = output.get();
    }

    /**
     * Rows {@code [from, to)} in four passes over each row, so that the transcendental functions run as SIMD loops
     * ({@link FloatGateMath}): pre-activations, the i/j/f activations, the new cell state (clipped) and the output
     * gate's pre-activation, then o, tanh(cs) and h.
     */
    void rows(int from, int to) {
      int hh = cells;
      float[] g0 = gates[0];
      int n = gates.length;
      for (int r = from; r < to; r++) {
        int gRow = r * 4 * hh;
        int sRow = r * hh;
        for (int j = 0; j < hh; j++) {
          int gi = gRow + j;
          float pi = g0[gi];
          float pc = g0[gi + hh];
          float pf = g0[gi + 2 * hh];
          float po = g0[gi + 3 * hh];
          for (int k = 1; k < n; k++) {
            float[] gk = gates[k];
            pi += gk[gi];
            pc += gk[gi + hh];
            pf += gk[gi + 2 * hh];
            po += gk[gi + 3 * hh];
          }
          pi += b[j];
          pc += b[j + hh];
          pf = pf + b[j + 2 * hh] + forgetBias;
          po += b[j + 3 * hh];
          int s = sRow + j;
          if (peephole) {
            float cPrev = csPrev[s];
            pi += wci[j] * cPrev;
            pf += wcf[j] * cPrev;
          }
          i[s] = pi;
          ci[s] = pc;
          f[s] = pf;
          o[s] = po;
        }
        FloatGateMath.sigmoidInPlace(i, sRow, hh);
        FloatGateMath.tanh(ci, ci, sRow, hh);
        FloatGateMath.sigmoidInPlace(f, sRow, hh);
        for (int j = 0; j < hh; j++) {
          int s = sRow + j;
          float vcs = ci[s] * i[s] + csPrev[s] * f[s];
          if (clips) {
            vcs = vcs > clip ? clip : vcs < -clip ? -clip : vcs;
          }
          cs[s] = vcs;
          if (peephole) {
            o[s] += wco[j] * vcs;
          }
        }
        FloatGateMath.sigmoidInPlace(o, sRow, hh);
        FloatGateMath.tanh(cs, co, sRow, hh);
        for (int s = sRow; s < sRow + hh; s++) {
          h[s] = co[s] * o[s];
        }
      }
    }
  }

  /** One float64 forward pass; the same steps as {@link ForwardF32}. */
  private static final class ForwardF64 {
    final double[][] gates;
    final double[] csPrev;
    final double[] b;
    final double[] wci;
    final double[] wcf;
    final double[] wco;
    final double forgetBias;
    final double clip;
    final boolean clips;
    final boolean peephole;
    final int cells;
    final double[] i;
    final double[] cs;
    final double[] f;
    final double[] o;
    final double[] ci;
    final double[] co;
    final double[] h;

    ForwardF64(double[][] gates, double[] csPrev, double[] b, double[] wci, double[] wcf, double[] wco, Attrs attrs,
        int cells, Supplier<double[]> output) {
      this.gates = gates;
      this.csPrev = csPrev;
      this.b = b;
      this.wci = wci;
      this.wcf = wcf;
      this.wco = wco;
      this.forgetBias = attrs.forgetBias();
      this.clip = attrs.cellClip();
      this.clips = attrs.clips();
      this.peephole = attrs.usePeephole();
      this.cells = cells;
      this.i = output.get();
      this.cs = output.get();
      this.f = output.get();
      this.o = output.get();
      this.ci = output.get();
      this.co = output.get();
      this.h = output.get();
    }

    void rows(int from, int to) {
      int hh = cells;
      double[] g0 = gates[0];
      int n = gates.length;
      for (int r = from; r < to; r++) {
        int gRow = r * 4 * hh;
        int sRow = r * hh;
        for (int j = 0; j < hh; j++) {
          int gi = gRow + j;
          double pi = g0[gi];
          double pc = g0[gi + hh];
          double pf = g0[gi + 2 * hh];
          double po = g0[gi + 3 * hh];
          for (int k = 1; k < n; k++) {
            double[] gk = gates[k];
            pi += gk[gi];
            pc += gk[gi + hh];
            pf += gk[gi + 2 * hh];
            po += gk[gi + 3 * hh];
          }
          pi += b[j];
          pc += b[j + hh];
          pf = pf + b[j + 2 * hh] + forgetBias;
          po += b[j + 3 * hh];
          int s = sRow + j;
          double cPrev = csPrev[s];
          if (peephole) {
            pi += wci[j] * cPrev;
            pf += wcf[j] * cPrev;
          }
          double vi = Activations.sigmoid(pi);
          double vci = Math.tanh(pc);
          double vf = Activations.sigmoid(pf);
          double vcs = vci * vi + cPrev * vf;
          if (clips) {
            vcs = vcs > clip ? clip : vcs < -clip ? -clip : vcs;
          }
          if (peephole) {
            po += wco[j] * vcs;
          }
          double vo = Activations.sigmoid(po);
          double vco = Math.tanh(vcs);
          i[s] = vi;
          cs[s] = vcs;
          f[s] = vf;
          o[s] = vo;
          ci[s] = vci;
          co[s] = vco;
          h[s] = vco * vo;
        }
      }
    }
  }

  // ---------------------------------------------------------------- backward

  private static void gatesGrad(KernelContext ctx) {
    Tensor[] in = new Tensor[LstmBlockDefs.GRAD_INPUTS];
    Shape[] shapes = new Shape[in.length];
    for (int k = 0; k < in.length; k++) {
      in[k] = ctx.input(k);
      shapes[k] = in[k].shape();
    }
    Dims dims = LstmBlockDefs.checkGatesGrad(ctx, shapes);
    Attrs attrs = Attrs.of(ctx.op(), false);
    int batch = dims.batch();
    int cells = dims.cellSize();
    DType t = in[0].dtype();
    Object[] outs;
    if (t == DType.FLOAT32) {
      BackwardF32 pass = new BackwardF32(in, attrs, batch, cells, ctx);
      ParallelRanges.run(batch, cells, MIN_ELEMENTS_PER_TASK, pass::rows);
      if (attrs.usePeephole()) {
        ParallelRanges.run(cells, batch, MIN_ELEMENTS_PER_TASK, pass::peepholeColumns);
      }
      outs = new Object[] {pass.csPrevGrad, pass.dicfo, pass.wciGrad, pass.wcfGrad, pass.wcoGrad};
    } else {
      BackwardF64 pass = new BackwardF64(in, attrs, batch, cells, ctx);
      ParallelRanges.run(batch, cells, MIN_ELEMENTS_PER_TASK, pass::rows);
      if (attrs.usePeephole()) {
        ParallelRanges.run(cells, batch, MIN_ELEMENTS_PER_TASK, pass::peepholeColumns);
      }
      outs = new Object[] {pass.csPrevGrad, pass.dicfo, pass.wciGrad, pass.wcfGrad, pass.wcoGrad};
    }
    ctx.setOutput(0, Tensor.unsafeWrap(t, Shape.of(batch, cells), outs[0]));
    ctx.setOutput(1, Tensor.unsafeWrap(t, Shape.of(batch, 4L * cells), outs[1]));
    for (int k = 2; k < 5; k++) {
      ctx.setOutput(k, Tensor.unsafeWrap(t, Shape.of(cells), outs[k]));
    }
  }

  /**
   * One float32 backward pass (TF's {@code LSTMBlockCellBprop}), plus the clip: the gradient reaching the unclipped
   * cell state is zero where that state, recomputed as the forward pass computed it, lies outside {@code [-clip,
   * clip]}, as the composed graph's {@code clip_by_value} has it. The peephole gradients are column sums, made in a
   * second pass over columns so that they do not depend on how the rows were split.
   */
  private static final class BackwardF32 {
    final float[] csPrev;
    final float[] wci;
    final float[] wcf;
    final float[] wco;
    final float[] i;
    final float[] cs;
    final float[] f;
    final float[] o;
    final float[] ci;
    final float[] co;
    final float[] csGrad;
    final float[] hGrad;
    final float clip;
    final boolean clips;
    final boolean peephole;
    final int batch;
    final int cells;
    final float[] csPrevGrad;
    final float[] dicfo;
    final float[] wciGrad;
    final float[] wcfGrad;
    final float[] wcoGrad;

    BackwardF32(Tensor[] in, Attrs attrs, int batch, int cells, KernelContext ctx) {
      this.csPrev = f32(in[0]);
      this.wci = f32(in[1]);
      this.wcf = f32(in[2]);
      this.wco = f32(in[3]);
      this.i = f32(in[4]);
      this.cs = f32(in[5]);
      this.f = f32(in[6]);
      this.o = f32(in[7]);
      this.ci = f32(in[8]);
      this.co = f32(in[9]);
      this.csGrad = f32(in[10]);
      this.hGrad = f32(in[11]);
      this.clip = (float) attrs.cellClip();
      this.clips = attrs.clips();
      this.peephole = attrs.usePeephole();
      this.batch = batch;
      this.cells = cells;
      // rows() writes every element of these two; the peephole gradients stay zero without peepholes.
      this.csPrevGrad = (float[]) ctx.allocateForOverwrite(DType.FLOAT32, Shape.of(batch, cells));
      this.dicfo = (float[]) ctx.allocateForOverwrite(DType.FLOAT32, Shape.of(batch, 4L * cells));
      this.wciGrad = (float[]) ctx.allocate(DType.FLOAT32, Shape.of(cells));
      this.wcfGrad = (float[]) ctx.allocate(DType.FLOAT32, Shape.of(cells));
      this.wcoGrad = (float[]) ctx.allocate(DType.FLOAT32, Shape.of(cells));
    }

    void rows(int from, int to) {
      int hh = cells;
      for (int r = from; r < to; r++) {
        int gRow = r * 4 * hh;
        int sRow = r * hh;
        for (int j = 0; j < hh; j++) {
          int s = sRow + j;
          float vi = i[s];
          float vf = f[s];
          float vo = o[s];
          float vci = ci[s];
          float vco = co[s];
          float dh = hGrad[s];
          float cPrev = csPrev[s];
          float dOut = vo * (1 - vo) * dh * vco;
          float dcs = (1 - vco * vco) * dh * vo + csGrad[s];
          if (peephole) {
            dcs += dOut * wco[j];
          }
          if (clips) {
            float unclipped = vci * vi + cPrev * vf;
            if (!(unclipped <= clip && unclipped >= -clip)) {
              dcs = 0;
            }
          }
          float dci = (1 - vci * vci) * dcs * vi;
          float df = vf * (1 - vf) * dcs * cPrev;
          float di = vi * (1 - vi) * dcs * vci;
          int gi = gRow + j;
          dicfo[gi] = di;
          dicfo[gi + hh] = dci;
          dicfo[gi + 2 * hh] = df;
          dicfo[gi + 3 * hh] = dOut;
          float dPrev = dcs * vf;
          if (peephole) {
            dPrev += di * wci[j] + df * wcf[j];
          }
          csPrevGrad[s] = dPrev;
        }
      }
    }

    /**
     * {@code wci_grad = sum_b(di * cs_prev)}, {@code wcf_grad = sum_b(df * cs_prev)}, {@code wco_grad = sum_b(do *
     * cs)}, summed in double over the rows in order.
     */
    void peepholeColumns(int from, int to) {
      int hh = cells;
      for (int j = from; j < to; j++) {
        double sumI = 0;
        double sumF = 0;
        double sumO = 0;
        for (int r = 0; r < batch; r++) {
          int s = r * hh + j;
          int gi = r * 4 * hh + j;
          sumI += dicfo[gi] * csPrev[s];
          sumF += dicfo[gi + 2 * hh] * csPrev[s];
          sumO += dicfo[gi + 3 * hh] * cs[s];
        }
        wciGrad[j] = (float) sumI;
        wcfGrad[j] = (float) sumF;
        wcoGrad[j] = (float) sumO;
      }
    }
  }

  /** One float64 backward pass; the same steps as {@link BackwardF32}. */
  private static final class BackwardF64 {
    final double[] csPrev;
    final double[] wci;
    final double[] wcf;
    final double[] wco;
    final double[] i;
    final double[] cs;
    final double[] f;
    final double[] o;
    final double[] ci;
    final double[] co;
    final double[] csGrad;
    final double[] hGrad;
    final double clip;
    final boolean clips;
    final boolean peephole;
    final int batch;
    final int cells;
    final double[] csPrevGrad;
    final double[] dicfo;
    final double[] wciGrad;
    final double[] wcfGrad;
    final double[] wcoGrad;

    BackwardF64(Tensor[] in, Attrs attrs, int batch, int cells, KernelContext ctx) {
      this.csPrev = f64(in[0]);
      this.wci = f64(in[1]);
      this.wcf = f64(in[2]);
      this.wco = f64(in[3]);
      this.i = f64(in[4]);
      this.cs = f64(in[5]);
      this.f = f64(in[6]);
      this.o = f64(in[7]);
      this.ci = f64(in[8]);
      this.co = f64(in[9]);
      this.csGrad = f64(in[10]);
      this.hGrad = f64(in[11]);
      this.clip = attrs.cellClip();
      this.clips = attrs.clips();
      this.peephole = attrs.usePeephole();
      this.batch = batch;
      this.cells = cells;
      // rows() writes every element of these two; the peephole gradients stay zero without peepholes.
      this.csPrevGrad = (double[]) ctx.allocateForOverwrite(DType.FLOAT64, Shape.of(batch, cells));
      this.dicfo = (double[]) ctx.allocateForOverwrite(DType.FLOAT64, Shape.of(batch, 4L * cells));
      this.wciGrad = (double[]) ctx.allocate(DType.FLOAT64, Shape.of(cells));
      this.wcfGrad = (double[]) ctx.allocate(DType.FLOAT64, Shape.of(cells));
      this.wcoGrad = (double[]) ctx.allocate(DType.FLOAT64, Shape.of(cells));
    }

    void rows(int from, int to) {
      int hh = cells;
      for (int r = from; r < to; r++) {
        int gRow = r * 4 * hh;
        int sRow = r * hh;
        for (int j = 0; j < hh; j++) {
          int s = sRow + j;
          double vi = i[s];
          double vf = f[s];
          double vo = o[s];
          double vci = ci[s];
          double vco = co[s];
          double dh = hGrad[s];
          double cPrev = csPrev[s];
          double dOut = vo * (1 - vo) * dh * vco;
          double dcs = (1 - vco * vco) * dh * vo + csGrad[s];
          if (peephole) {
            dcs += dOut * wco[j];
          }
          if (clips) {
            double unclipped = vci * vi + cPrev * vf;
            if (!(unclipped <= clip && unclipped >= -clip)) {
              dcs = 0;
            }
          }
          double dci = (1 - vci * vci) * dcs * vi;
          double df = vf * (1 - vf) * dcs * cPrev;
          double di = vi * (1 - vi) * dcs * vci;
          int gi = gRow + j;
          dicfo[gi] = di;
          dicfo[gi + hh] = dci;
          dicfo[gi + 2 * hh] = df;
          dicfo[gi + 3 * hh] = dOut;
          double dPrev = dcs * vf;
          if (peephole) {
            dPrev += di * wci[j] + df * wcf[j];
          }
          csPrevGrad[s] = dPrev;
        }
      }
    }

    void peepholeColumns(int from, int to) {
      int hh = cells;
      for (int j = from; j < to; j++) {
        double sumI = 0;
        double sumF = 0;
        double sumO = 0;
        for (int r = 0; r < batch; r++) {
          int s = r * hh + j;
          int gi = r * 4 * hh + j;
          sumI += dicfo[gi] * csPrev[s];
          sumF += dicfo[gi + 2 * hh] * csPrev[s];
          sumO += dicfo[gi + 3 * hh] * cs[s];
        }
        wciGrad[j] = sumI;
        wcfGrad[j] = sumF;
        wcoGrad[j] = sumO;
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private static float[] f32(Tensor t) {
    return (float[]) t.unsafeArray();
  }

  private static double[] f64(Tensor t) {
    return (double[]) t.unsafeArray();
  }
}
