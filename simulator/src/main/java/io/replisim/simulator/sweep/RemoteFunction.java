package io.replisim.simulator.sweep;

import java.io.Serializable;
import java.util.function.Function;

/** A function an engine may send to another machine (a Spark executor): it and what it holds must be serializable. */
@FunctionalInterface
public interface RemoteFunction<T, R> extends Function<T, R>, Serializable {}
