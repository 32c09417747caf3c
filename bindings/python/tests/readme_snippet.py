# From the repository root: ZHIBIAO_LIBRARY=build/libzhibiao.so PYTHONPATH=bindings/python python3 this.py
from zhibiao import Model

d = "tests/data/small/"
with Model.from_files(regions=d + "regions.csv", indicators=d + "indicators.csv",
                      observations=d + "observations.csv") as m:
    v = m.value("A", "2021-02", "new_jobs")                 # 甲县, February 2021
    print(v.value, f"({v.reporting} of {v.expected} towns reported)")  # 20 (1 of 2 towns reported)
    print(m.value("C1", "2021年1-3月", "new_jobs").value)   # 100 (city, year to date)
    print(m.value("A", "2021-01", "rate").value)            # 3.64 (from summed parts, not averaged)
    print({c: x.value for c, x in m.slice("county", "new_jobs", "2021-02")})  # A: 20, B: 5
    m.set_value("a2", "2021-02", "new_jobs", 8)             # a late report updates its ancestors
    print(m.value("A", "2021-02", "new_jobs").value)        # 28
