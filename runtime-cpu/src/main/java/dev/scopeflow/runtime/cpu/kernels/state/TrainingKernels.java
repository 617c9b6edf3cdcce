package dev.scopeflow.runtime.cpu.kernels.state;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Operation;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.graph.runtime.VariableRef;
import dev.scopeflow.ops.defs.TrainingDefs;
import dev.scopeflow.ops.defs.TrainingRunChecks;
import dev.scopeflow.runtime.cpu.Kernel;
import dev.scopeflow.runtime.cpu.KernelContext;
import java.lang.reflect.Array;
import java.util.function.BiConsumer;

/**
 * CPU kernels of the fused update ops ({@link TrainingDefs}): TF's CPU functors of {@code
 * tensorflow/core/kernels/training_ops.cc}, evaluated in the variable's dtype in the same order, for float32 and
 * float64. Values are immutable, so an update copies the variable and its slots, updates the copies and writes them
 * back through the run's transaction (a failed run keeps the old values). The output is the variable's new value.
 */
public final class TrainingKernels {
  private TrainingKernels() {}

  /** The update of one op type: the new variable and slots from copies of the old ones, updated in place. */
  interface Update {
    void float32(Operation op, float[][] refs, float[] scalars, float[] grad);

    void float64(Operation op, double[][] refs, double[] scalars, double[] grad);
  }

  /** One fused update: reads the references and inputs, checks them as TF does, writes every reference. */
  public static final class Apply implements Kernel {
    private final TrainingDefs.ApplyDef def;
    private final Update update;

    Apply(TrainingDefs.ApplyDef def, Update update) {
      this.def = def;
      this.update = update;
    }

    @Override
    public boolean writesVariables() {
      return true;
    }

    @Override
    public void compute(KernelContext ctx) {
      Operation op = ctx.op();
      int n = def.args().size();
      Tensor[] values = new Tensor[n];
      VariableRef[] refs = TrainingRunChecks.readInputs(ctx, def, values, ctx::peekVariable, ctx::input,
          Tensor::dtype, Tensor::shape);
      DType dtype = values[0].dtype();
      // One unpacking for both dtypes: r is a float[][] or double[][], s a float[] or double[] (per input, not per
      // element, so the reflective access costs nothing measurable); the update itself runs on primitive arrays.
      Class<?> elementArray = dtype == DType.FLOAT32 ? float[].class : double[].class;
      int numRefs = 0;
      int numScalars = 0;
      for (int i = 0; i < n; i++) {
        numRefs += refs[i] != null ? 1 : 0;
        numScalars += def.args().get(i).kind() == TrainingDefs.ArgKind.SCALAR ? 1 : 0;
      }
      Object r = Array.newInstance(elementArray, numRefs);
      Object s = Array.newInstance(elementArray.getComponentType(), numScalars);
      Object g = null;
      for (int i = 0, ri = 0, si = 0; i < n; i++) {
        Object a = values[i].unsafeArray();
        switch (def.args().get(i).kind()) {
          case REF: {
            // A pooled copy: the update writes it in place, and the old value may go back to the pool on commit.
            Object copy = ctx.allocateForOverwrite(dtype, values[i].shape());
            System.arraycopy(a, 0, copy, 0, Array.getLength(a));
            Array.set(r, ri++, copy);
            break;
          }
          case SCALAR:
            Array.set(s, si++, Array.get(a, 0));
            break;
          default:
            g = a;
        }
      }
      if (dtype == DType.FLOAT32) {
        update.float32(op, (float[][]) r, (float[]) s, (float[]) g);
      } else {
        update.float64(op, (double[][]) r, (double[]) s, (double[]) g);
      }
      Tensor output = null;
      for (int i = 0, k = 0; i < n; i++) {
        if (refs[i] != null) {
          Tensor updated = Tensor.unsafeWrap(dtype, values[0].shape(), Array.get(r, k++));
          ctx.replaceVariable(refs[i], values[i], updated);
          output = output == null ? updated : output;
        }
      }
      ctx.setOutput(0, output);
    }
  }

  /** {@code var -= grad * lr}. */
  static final Update GRADIENT_DESCENT = new Update() {
    @Override
    public void float32(Operation op, float[][] r, float[] s, float[] g) {
      float[] var = r[0];
      float lr = s[0];
      for (int i = 0; i < var.length; i++) {
        var[i] -= g[i] * lr;
      }
    }

    @Override
    public void float64(Operation op, double[][] r, double[] s, double[] g) {
      double[] var = r[0];
      double lr = s[0];
      for (int i = 0; i < var.length; i++) {
        var[i] -= g[i] * lr;
      }
    }
  };

  /**
   * {@code accum = accum * momentum + grad}; {@code var -= accum * lr}, or Nesterov's {@code var -= grad * lr + accum
   * * momentum * lr}.
   */
  static final Update MOMENTUM = new Update() {
    @Override
    public void float32(Operation op, float[][] r, float[] s, float[] g) {
      float[] var = r[0];
      float[] accum = r[1];
      float lr = s[0];
      float momentum = s[1];
      boolean nesterov = TrainingRunChecks.boolAttr(op, "use_nesterov");
      for (int i = 0; i < var.length; i++) {
        accum[i] = accum[i] * momentum + g[i];
        var[i] -= nesterov ? g[i] * lr + accum[i] * momentum * lr : accum[i] * lr;
      }
    }

    @Override
    public void float64(Operation op, double[][] r, double[] s, double[] g) {
      double[] var = r[0];
      double[] accum = r[1];
      double lr = s[0];
      double momentum = s[1];
      boolean nesterov = TrainingRunChecks.boolAttr(op, "use_nesterov");
      for (int i = 0; i < var.length; i++) {
        accum[i] = accum[i] * momentum + g[i];
        var[i] -= nesterov ? g[i] * lr + accum[i] * momentum * lr : accum[i] * lr;
      }
    }
  };

  /** Adam, with TF's step size {@code alpha = lr * sqrt(1 - beta2_power) / (1 - beta1_power)}. */
  static final Update ADAM = new Update() {
    @Override
    public void float32(Operation op, float[][] r, float[] s, float[] g) {
      float[] var = r[0];
      float[] m = r[1];
      float[] v = r[2];
      float beta1Power = s[0];
      float beta2Power = s[1];
      float lr = s[2];
      float beta1 = s[3];
      float beta2 = s[4];
      float epsilon = s[5];
      float alpha = lr * (float) Math.sqrt(1f - beta2Power) / (1f - beta1Power);
      boolean nesterov = TrainingRunChecks.boolAttr(op, "use_nesterov");
      for (int i = 0; i < var.length; i++) {
        m[i] += (g[i] - m[i]) * (1f - beta1);
        v[i] += (g[i] * g[i] - v[i]) * (1f - beta2);
        float num = nesterov ? (g[i] * (1f - beta1) + beta1 * m[i]) * alpha : m[i] * alpha;
        var[i] -= num / ((float) Math.sqrt(v[i]) + epsilon);
      }
    }

    @Override
    public void float64(Operation op, double[][] r, double[] s, double[] g) {
      double[] var = r[0];
      double[] m = r[1];
      double[] v = r[2];
      double beta1Power = s[0];
      double beta2Power = s[1];
      double lr = s[2];
      double beta1 = s[3];
      double beta2 = s[4];
      double epsilon = s[5];
      double alpha = lr * Math.sqrt(1 - beta2Power) / (1 - beta1Power);
      boolean nesterov = TrainingRunChecks.boolAttr(op, "use_nesterov");
      for (int i = 0; i < var.length; i++) {
        m[i] += (g[i] - m[i]) * (1 - beta1);
        v[i] += (g[i] * g[i] - v[i]) * (1 - beta2);
        double num = nesterov ? (g[i] * (1 - beta1) + beta1 * m[i]) * alpha : m[i] * alpha;
        var[i] -= num / (Math.sqrt(v[i]) + epsilon);
      }
    }
  };

  /** {@code ms += (grad^2 - ms) (1 - rho); mom = mom * momentum + grad * lr / sqrt(ms + epsilon); var -= mom}. */
  static final Update RMS_PROP = new RmsProp(false);

  /** RMSProp with the mean gradient {@code mg} subtracted: denominator {@code sqrt(ms - mg^2 + epsilon)}. */
  static final Update CENTERED_RMS_PROP = new RmsProp(true);

  /**
   * Both RMSProp updates, one loop each per dtype: the centered one keeps {@code mg} (slot 1, before {@code ms} and
   * {@code mom}, TF's input order) and subtracts {@code mg^2} from the denominator.
   */
  private static final class RmsProp implements Update {
    private final boolean centered;

    RmsProp(boolean centered) {
      this.centered = centered;
    }

    @Override
    public void float32(Operation op, float[][] r, float[] s, float[] g) {
      int k = centered ? 1 : 0;
      float[] var = r[0];
      float[] mg = centered ? r[1] : null;
      float[] ms = r[1 + k];
      float[] mom = r[2 + k];
      float lr = s[0];
      float rho = s[1];
      float momentum = s[2];
      float epsilon = s[3];
      for (int i = 0; i < var.length; i++) {
        ms[i] += (g[i] * g[i] - ms[i]) * (1f - rho);
        float denom;
        if (centered) {
          mg[i] += (g[i] - mg[i]) * (1f - rho);
          denom = (ms[i] - mg[i] * mg[i]) + epsilon;
        } else {
          denom = ms[i] + epsilon;
        }
        mom[i] = mom[i] * momentum + (g[i] * lr) / (float) Math.sqrt(denom);
        var[i] -= mom[i];
      }
    }

    @Override
    public void float64(Operation op, double[][] r, double[] s, double[] g) {
      int k = centered ? 1 : 0;
      double[] var = r[0];
      double[] mg = centered ? r[1] : null;
      double[] ms = r[1 + k];
      double[] mom = r[2 + k];
      double lr = s[0];
      double rho = s[1];
      double momentum = s[2];
      double epsilon = s[3];
      for (int i = 0; i < var.length; i++) {
        ms[i] += (g[i] * g[i] - ms[i]) * (1 - rho);
        double denom;
        if (centered) {
          mg[i] += (g[i] - mg[i]) * (1 - rho);
          denom = (ms[i] - mg[i] * mg[i]) + epsilon;
        } else {
          denom = ms[i] + epsilon;
        }
        mom[i] = mom[i] * momentum + (g[i] * lr) / Math.sqrt(denom);
        var[i] -= mom[i];
      }
    }
  }

  /** {@code accum += grad^2} (unless update_slots is false); {@code var -= grad * lr / sqrt(accum)}. */
  static final Update ADAGRAD = new Update() {
    @Override
    public void float32(Operation op, float[][] r, float[] s, float[] g) {
      float[] var = r[0];
      float[] accum = r[1];
      float lr = s[0];
      boolean updateSlots = TrainingRunChecks.boolAttr(op, "update_slots");
      for (int i = 0; i < var.length; i++) {
        if (updateSlots) {
          accum[i] += g[i] * g[i];
        }
        var[i] -= g[i] * lr * (1f / (float) Math.sqrt(accum[i]));
      }
    }

    @Override
    public void float64(Operation op, double[][] r, double[] s, double[] g) {
      double[] var = r[0];
      double[] accum = r[1];
      double lr = s[0];
      boolean updateSlots = TrainingRunChecks.boolAttr(op, "update_slots");
      for (int i = 0; i < var.length; i++) {
        if (updateSlots) {
          accum[i] += g[i] * g[i];
        }
        var[i] -= g[i] * lr * (1 / Math.sqrt(accum[i]));
      }
    }
  };

  /** Registers the kernel of each fused update op type. */
  public static void registerAll(BiConsumer<String, Kernel> registry) {
    registry.accept("ApplyGradientDescent", new Apply(TrainingDefs.APPLY_GRADIENT_DESCENT, GRADIENT_DESCENT));
    registry.accept("ApplyMomentum", new Apply(TrainingDefs.APPLY_MOMENTUM, MOMENTUM));
    registry.accept("ApplyAdam", new Apply(TrainingDefs.APPLY_ADAM, ADAM));
    registry.accept("ApplyRMSProp", new Apply(TrainingDefs.APPLY_RMS_PROP, RMS_PROP));
    registry.accept("ApplyCenteredRMSProp", new Apply(TrainingDefs.APPLY_CENTERED_RMS_PROP, CENTERED_RMS_PROP));
    registry.accept("ApplyAdagrad", new Apply(TrainingDefs.APPLY_ADAGRAD, ADAGRAD));
  }
}
