"""The baseline: what one atomic symlink switch costs the kernel (symlink a temporary, rename(2) it over the link)."""
import os, sys, tempfile, time

n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
d = tempfile.mkdtemp()
link = os.path.join(d, "system")
os.symlink("system-0-link", link)
times = []
for i in range(n):
    tmp = os.path.join(d, ".tmp_system")
    t0 = time.perf_counter_ns()
    os.symlink("system-%d-link" % (i % 2), tmp)
    os.rename(tmp, link)
    times.append(time.perf_counter_ns() - t0)
times.sort()
print("rename_p50_ms=%.4f" % (times[len(times) // 2] / 1e6))
print("rename_p99_ms=%.4f" % (times[int(len(times) * 0.99)] / 1e6))
os.unlink(link)
os.rmdir(d)
