package dev.scopeflow.runtime.cpu.kernels.gemm;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pure-Java GEMM's worker threads: runs the tiles of one product on the calling thread plus parked daemon
 * workers, one product at a time. A caller that finds the workers busy (another session's product) runs its tiles
 * itself, so concurrent runs never wait on each other and never oversubscribe the cores. Nothing is allocated per
 * product: the job is handed over in fields, published by a volatile generation counter.
 */
final class GemmThreads {
  /** One product split into tiles; {@link #runTile} may run on any thread, several tiles at once. */
  interface TileJob {
    void runTile(int tile);
  }

  /** Threads of the process-wide pool, the caller included: system property {@code scopeflow.cpu.threads}. */
  static final int PARALLELISM = parallelism();

  private static final GemmThreads SHARED = new GemmThreads(PARALLELISM - 1);

  private final ReentrantLock busy = new ReentrantLock();
  private final AtomicInteger nextTile = new AtomicInteger();
  private final AtomicInteger workersInJob = new AtomicInteger();
  private final int numWorkers;
  private Thread[] workers;
  private TileJob job;
  private int numTiles;
  private Thread caller;
  private volatile Throwable failure;
  private volatile int generation;

  private GemmThreads(int numWorkers) {
    this.numWorkers = numWorkers;
  }

  static GemmThreads shared() {
    return SHARED;
  }

  /** Runs tiles {@code 0 .. numTiles-1} of {@code job} and returns when all are done. */
  void run(TileJob job, int numTiles) {
    if (numWorkers == 0 || numTiles <= 1 || !busy.tryLock()) {
      for (int t = 0; t < numTiles; t++) {
        job.runTile(t);
      }
      return;
    }
    try {
      startWorkers();
      this.job = job;
      this.numTiles = numTiles;
      this.caller = Thread.currentThread();
      failure = null;
      nextTile.set(0);
      workersInJob.set(numWorkers);
      generation++; // volatile write: publishes the fields above to the workers
      for (Thread w : workers) {
        LockSupport.unpark(w);
      }
      work();
      while (workersInJob.get() != 0) {
        LockSupport.park(this);
      }
      this.job = null;
      Throwable f = failure;
      if (f != null) {
        failure = null;
        if (f instanceof RuntimeException e) {
          throw e;
        }
        if (f instanceof Error e) {
          throw e;
        }
        throw new IllegalStateException(f);
      }
    } finally {
      busy.unlock();
    }
  }

  private void work() {
    TileJob j = job;
    int n = numTiles;
    for (int t = nextTile.getAndIncrement(); t < n; t = nextTile.getAndIncrement()) {
      try {
        j.runTile(t);
      } catch (Throwable e) {
        failure = e;
      }
    }
  }

  private void startWorkers() {
    if (workers != null) {
      return;
    }
    Thread[] started = new Thread[numWorkers];
    for (int i = 0; i < numWorkers; i++) {
      Thread t = new Thread(this::workerLoop, "scopeflow-gemm-" + (i + 1));
      t.setDaemon(true);
      started[i] = t;
    }
    workers = started;
    for (Thread t : started) {
      t.start();
    }
  }

  private void workerLoop() {
    int seen = 0;
    while (true) {
      int g = generation;
      while (g == seen) {
        LockSupport.park(this);
        g = generation;
      }
      seen = g;
      work();
      Thread c = caller;
      if (workersInJob.decrementAndGet() == 0) {
        LockSupport.unpark(c);
      }
    }
  }

  private static int parallelism() {
    String configured = System.getProperty("scopeflow.cpu.threads");
    if (configured != null) {
      try {
        int n = Integer.parseInt(configured.trim());
        if (n >= 1) {
          return n;
        }
      } catch (NumberFormatException e) {
        // fall through to the core count
      }
      throw new IllegalArgumentException("System property scopeflow.cpu.threads must be a positive integer, got '"
          + configured + "'");
    }
    return Runtime.getRuntime().availableProcessors();
  }
}
