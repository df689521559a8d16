package io.herald;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The hub, the wire format and the broker, history and idempotency SPIs know nothing of Netty,
 * Redis or the Pusher front door.
 */
class ArchitectureTest {
  static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.herald");

  @Test
  void coreDoesNotDependOnTransportOrRedis() {
    noClasses().that().resideInAnyPackage("io.herald.hub..", "io.herald.protocol..", "io.herald.broker",
            "io.herald.history", "io.herald.idempotency")
        .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "io.lettuce..", "io.herald.transport..",
            "io.herald.admin..", "io.herald.pusher..")
        .check(CLASSES);
  }

  /** The Pusher front door is a sibling of transport and admin: the core never knows of it. */
  @Test
  void pusherProtocolLogicIsTransportFree() {
    noClasses().that().resideInAPackage("io.herald.pusher..")
        .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "io.lettuce..", "io.herald.transport..",
            "io.herald.admin..")
        .check(CLASSES);
  }

  @Test
  void adminApiIsTransportFree() {
    noClasses().that().resideInAPackage("io.herald.admin..")
        .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "io.herald.transport..")
        .check(CLASSES);
  }
}
