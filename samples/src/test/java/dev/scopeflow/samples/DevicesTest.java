package dev.scopeflow.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scopeflow.runtime.opencl.OpenClDeviceInfo;
import dev.scopeflow.runtime.opencl.OpenClDevices;
import dev.scopeflow.samples.testing.LauncherRun;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The devices sample: the listing matches OpenClDevices, and the self-check runs on the selected device. */
class DevicesTest {
  private final LauncherRun launcher = new LauncherRun();

  private int run(String... args) {
    return launcher.run(args);
  }

  @Test
  void listsDevicesAndChecksTheDefaultOpenClDevice() {
    int code = run("devices");
    String text = launcher.out();
    assertEquals(0, code, text + launcher.err());
    assertTrue(text.startsWith("Runtimes: cpu, opencl\n"), text);
    if (OpenClDevices.unavailableReason().isPresent()) {
      assertTrue(text.contains("OpenCL: unavailable: "), text);
      assertTrue(System.getenv("CI") == null, "CI installs PoCL, so OpenCL must be there: " + text);
      launcher.reset();
      assertEquals(Main.EXIT_FAILURE, run("devices", "--runtime", "opencl"));
      return;
    }
    List<OpenClDeviceInfo> devices = OpenClDevices.list();
    for (OpenClDeviceInfo d : devices) {
      assertTrue(text.contains("  " + d.describe() + "\n"), d.describe());
    }
    assertTrue(text.contains("Self-check on opencl (" + devices.get(0).qualifiedName()), text);
    assertTrue(text.contains("agrees with the cpu runtime"), text);
  }

  @Test
  void selectsADeviceByIndexAndRefusesAnUnknownOne() {
    if (OpenClDevices.unavailableReason().isPresent()) {
      return; // covered by the test above
    }
    List<OpenClDeviceInfo> devices = OpenClDevices.list();
    OpenClDeviceInfo last = devices.get(devices.size() - 1);
    assertEquals(0, run("devices", "--device", Integer.toString(last.index())));
    assertTrue(launcher.out().contains("Self-check on opencl (" + last.qualifiedName()));
    assertEquals(Main.EXIT_FAILURE, run("devices", "--device", "no-such-device-xyz"));
    assertTrue(launcher.err().contains("no-such-device-xyz"), launcher.err());
  }

  @Test
  void cpuOnlyHasNothingToCompare() {
    assertEquals(0, run("devices", "--runtime", "cpu"));
    assertTrue(launcher.out().contains("Self-check: the cpu runtime is the reference"));
  }
}
