package io.herald.spring;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches the mode {@link HeraldProperties#effectiveMode()} resolves from the environment. */
abstract class ModeCondition implements Condition {
  private final HeraldProperties.Mode mode;

  ModeCondition(HeraldProperties.Mode mode) {
    this.mode = mode;
  }

  @Override
  public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
    HeraldProperties p = Binder.get(context.getEnvironment()).bind("herald", HeraldProperties.class)
        .orElseGet(HeraldProperties::new);
    return p.effectiveMode() == mode;
  }

  static final class Remote extends ModeCondition {
    Remote() {
      super(HeraldProperties.Mode.REMOTE);
    }
  }

  static final class Embedded extends ModeCondition {
    Embedded() {
      super(HeraldProperties.Mode.EMBEDDED);
    }
  }
}
