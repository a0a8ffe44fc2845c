import collections, sys
from hypothesis import given, settings, Phase, HealthCheck
from tests.exchange.test_template_sandbox import templates, CONTEXT
from safetymonth_desktop.exchange.template_sandbox import BoundedEnvironment, describe
from safetymonth_desktop.exchange import template_worker

def stats(n):
    c = collections.Counter(); ex = {}
    @settings(max_examples=n, database=None, deadline=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(templates())
    def f(src):
        try:
            BoundedEnvironment().from_string(src).render(CONTEXT); k = "ok"
        except Exception as e:
            k = type(e).__name__ + (":" + describe(e)[:12] if type(e).__name__ == "TemplateLimitError" else "")
        c[k] += 1; ex.setdefault(k, src)
    f()
    return c, ex

if __name__ == "__main__":
    c, ex = template_worker.run(stats, int(sys.argv[1]), on_limit="LIMIT", cpu=1200, timeout=1500)
    for k, v in c.most_common(): print(v, k, "   e.g.", ex[k][:100])
