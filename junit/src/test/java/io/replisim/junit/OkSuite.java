package io.replisim.junit;

/** A suite whose scenario holds: run by {@link ReplisimTestEngineTest} through the engine test kit. */
@ReplisimScenarios(value = "src/test/resources/suites/ok", determinism = true, output = "target/replisim-engine-test")
class OkSuite {}
