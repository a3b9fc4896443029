package io.replisim.junit;

import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.ClassSource;

/** A class annotated with {@link ReplisimScenarios}: the container of its scenarios' tests. */
final class SuiteDescriptor extends AbstractTestDescriptor {
    SuiteDescriptor(UniqueId id, Class<?> type) {
        super(id, type.getSimpleName(), ClassSource.from(type));
    }

    @Override
    public Type getType() {
        return Type.CONTAINER;
    }
}
