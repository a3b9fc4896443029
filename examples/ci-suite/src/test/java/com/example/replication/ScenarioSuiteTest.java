package com.example.replication;

import io.replisim.junit.ReplisimScenarios;

/**
 * Every scenario under src/test/scenarios is a test named after its file: its expectations and
 * replisim's invariants are the assertions, and the same seed must give the same trace again.
 * Each run's trace, summary and report stay in target/replisim/ScenarioSuiteTest/.
 */
@ReplisimScenarios(value = "src/test/scenarios", determinism = true)
class ScenarioSuiteTest {}
