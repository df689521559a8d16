package io.herald.auth;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Reads a PEM public key ({@code BEGIN PUBLIC KEY}, RSA or EC) or certificate ({@code BEGIN CERTIFICATE}). */
public final class PemKeys {
  private PemKeys() {
  }

  public static PublicKey parsePublicKey(String pem) {
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("public key is not PEM: base64 body is invalid");
    }
    try {
      if (pem.contains("BEGIN CERTIFICATE")) {
        return CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
      }
      X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
      try {
        return KeyFactory.getInstance("RSA").generatePublic(spec);
      } catch (GeneralSecurityException notRsa) {
        return KeyFactory.getInstance("EC").generatePublic(spec);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "public key must be a PEM 'PUBLIC KEY' (RSA or EC) or 'CERTIFICATE': " + e.getMessage());
    }
  }
}
