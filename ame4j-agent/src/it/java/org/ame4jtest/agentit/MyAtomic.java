package org.ame4jtest.agentit;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/** A project's own "atomic" annotation, named to the agent with {@code annotations=}. */
@Retention(RetentionPolicy.CLASS)
public @interface MyAtomic {}
