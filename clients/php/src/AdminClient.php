<?php

declare(strict_types=1);

namespace Herald;

use Herald\Exception\ConnectionException;
use Herald\Exception\HeraldException;
use Herald\Exception\TimeoutException;

/**
 * Herald's admin HTTP API over ext-curl: the envelope, typed errors, timeouts, keep-alive and
 * retries. A call is retried (up to maxAttempts) when no answer arrived or the answer was
 * 502/503/504, and only when that is safe: GETs always; POSTs when they carry an Idempotency-Key
 * (the same on every attempt, so a Herald that honours it delivers once), or when the connection
 * could not even be opened.
 */
final class AdminClient
{
    /** Bodies of non-envelope answers (a proxy's HTML page) are quoted up to this many bytes. */
    private const MAX_QUOTED_BYTES = 200;

    private ?\CurlHandle $curl = null;

    /**
     * @param string $url Herald's base URL, e.g. http://127.0.0.1:5200
     * @param string $apiKey the admin API key (HERALD_API_KEY)
     * @param float $timeout seconds per attempt
     * @param float $connectTimeout seconds to open the connection
     * @param int $maxAttempts attempts per call, the first included
     * @param int $retryBackoffMs wait before the second attempt; doubles per attempt, with jitter
     * @param bool $idempotencyKeys send an Idempotency-Key with every POST, and so retry POSTs
     */
    public function __construct(
        private readonly string $url,
        private readonly string $apiKey,
        private readonly float $timeout = 10.0,
        private readonly float $connectTimeout = 5.0,
        private readonly int $maxAttempts = 3,
        private readonly int $retryBackoffMs = 100,
        private readonly bool $idempotencyKeys = true,
    ) {
        $scheme = parse_url($url, PHP_URL_SCHEME);
        if (!in_array($scheme, ['http', 'https'], true) || parse_url($url, PHP_URL_HOST) === null) {
            throw new \InvalidArgumentException("url must be an http:// or https:// URL with a host: \"$url\"");
        }
        if ($apiKey === '') {
            throw new \InvalidArgumentException('apiKey must not be empty (HERALD_API_KEY)');
        }
        if ($timeout <= 0 || $connectTimeout <= 0) {
            throw new \InvalidArgumentException("timeouts must be positive: timeout=$timeout, connectTimeout=$connectTimeout");
        }
        if ($maxAttempts < 1 || $maxAttempts > 10) {
            throw new \InvalidArgumentException("maxAttempts must be 1-10: $maxAttempts");
        }
    }

    /** GET /admin/websocket/{endpoint}; returns the envelope's data. */
    public function get(string $endpoint): mixed
    {
        return $this->call('GET', $endpoint, null, null);
    }

    /** POST /admin/websocket/{endpoint} with a JSON body; returns the envelope's data. */
    public function post(string $endpoint, array $body): mixed
    {
        $json = json_encode($body, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION);
        if ($json === false) {
            throw new \InvalidArgumentException('cannot encode the request as JSON: ' . json_last_error_msg());
        }
        $key = $this->idempotencyKeys ? self::uuid() : null;
        return $this->call('POST', $endpoint, $json, $key);
    }

    private function call(string $method, string $endpoint, ?string $json, ?string $key): mixed
    {
        $retrySafe = $method === 'GET' || $key !== null;
        for ($attempt = 1; ; $attempt++) {
            [$status, $body, $errno, $error] = $this->send($method, $endpoint, $json, $key);
            $noAnswer = $errno !== 0;
            $retryable = $noAnswer || in_array($status, [502, 503, 504], true);
            $neverSent = in_array($errno, [CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST], true);
            if ($retryable && $attempt < $this->maxAttempts && ($retrySafe || $neverSent)) {
                $base = $this->retryBackoffMs << ($attempt - 1);
                usleep(1000 * intdiv($base, 2) + 1000 * random_int(0, intdiv($base, 2)));
                continue;
            }
            if ($noAnswer) {
                $target = "$method {$this->url}/admin/websocket/$endpoint";
                if ($errno === CURLE_OPERATION_TIMEDOUT) {
                    throw new TimeoutException("$target: no answer within {$this->timeout} s ($error)");
                }
                throw new ConnectionException("$target: $error");
            }
            return $this->data($status, $body);
        }
    }

    /** @return array{int, string, int, string} status, body, curl errno, curl error */
    private function send(string $method, string $endpoint, ?string $json, ?string $key): array
    {
        $curl = $this->curl ??= curl_init();
        curl_reset($curl);
        $headers = ['Authorization: Bearer ' . $this->apiKey, 'Accept: application/json', 'Expect:'];
        if ($json !== null) {
            $headers[] = 'Content-Type: application/json';
        }
        if ($key !== null) {
            $headers[] = 'Idempotency-Key: ' . $key;
        }
        curl_setopt_array($curl, [
            CURLOPT_URL => rtrim($this->url, '/') . '/admin/websocket/' . $endpoint,
            CURLOPT_CUSTOMREQUEST => $method,
            CURLOPT_HTTPHEADER => $headers,
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_FOLLOWLOCATION => false,
            CURLOPT_TIMEOUT_MS => (int) ($this->timeout * 1000),
            CURLOPT_CONNECTTIMEOUT_MS => (int) ($this->connectTimeout * 1000),
            CURLOPT_NOSIGNAL => true,
            CURLOPT_HTTP_VERSION => CURL_HTTP_VERSION_1_1,
        ]);
        if ($json !== null) {
            curl_setopt($curl, CURLOPT_POSTFIELDS, $json);
        }
        $body = curl_exec($curl);
        $errno = curl_errno($curl);
        return [(int) curl_getinfo($curl, CURLINFO_RESPONSE_CODE), is_string($body) ? $body : '', $errno,
            $errno === 0 ? '' : curl_error($curl)];
    }

    private function data(int $status, string $body): mixed
    {
        $envelope = json_decode($body, true);
        $isEnvelope = is_array($envelope) && array_key_exists('code', $envelope);
        if ($status === 200 && $isEnvelope) {
            return $envelope['data'] ?? null;
        }
        $message = $isEnvelope && is_string($envelope['message'] ?? null)
            ? $envelope['message']
            : "HTTP $status without a Herald envelope: \"" . substr($body, 0, self::MAX_QUOTED_BYTES) . '"';
        throw HeraldException::fromEnvelope($status, $message);
    }

    private static function uuid(): string
    {
        $b = random_bytes(16);
        $b[6] = chr((ord($b[6]) & 0x0f) | 0x40);
        $b[8] = chr((ord($b[8]) & 0x3f) | 0x80);
        return vsprintf('%s%s-%s-%s-%s-%s%s%s', str_split(bin2hex($b), 4));
    }
}
