<?php

// Router for `php -S`: a front proxy to Herald that records every request (method, path,
// Idempotency-Key) and can spoil answers. STATE_DIR/fault holds "<kind> <count>": kind 503
// answers 503 without forwarding; kind lose forwards to Herald, then breaks the answer (a
// Content-Length longer than the body), so the client sees no complete answer.
declare(strict_types=1);

$state = getenv('STATE_DIR');
$upstream = getenv('HERALD_UPSTREAM');
$path = $_SERVER['REQUEST_URI'];
$key = $_SERVER['HTTP_IDEMPOTENCY_KEY'] ?? null;
file_put_contents("$state/seen", json_encode([$_SERVER['REQUEST_METHOD'], $path, $key]) . "\n", FILE_APPEND | LOCK_EX);

$fault = 'none';
$spec = @file_get_contents("$state/fault");
if ($spec !== false && preg_match('/^(\w+) (\d+)$/', trim($spec), $m) && (int) $m[2] > 0) {
    $fault = $m[1];
    file_put_contents("$state/fault", $m[1] . ' ' . ((int) $m[2] - 1));
}
if ($fault === '503') {
    http_response_code(503);
    header('Content-Type: application/json');
    echo '{"code":503,"message":"try again","data":null}';
    return true;
}
$curl = curl_init($upstream . $path);
$headers = [];
foreach (['HTTP_AUTHORIZATION' => 'Authorization', 'HTTP_IDEMPOTENCY_KEY' => 'Idempotency-Key', 'CONTENT_TYPE' => 'Content-Type'] as $var => $name) {
    if (isset($_SERVER[$var])) {
        $headers[] = "$name: {$_SERVER[$var]}";
    }
}
curl_setopt_array($curl, [CURLOPT_CUSTOMREQUEST => $_SERVER['REQUEST_METHOD'], CURLOPT_RETURNTRANSFER => true,
    CURLOPT_HTTPHEADER => $headers]);
if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    curl_setopt($curl, CURLOPT_POSTFIELDS, file_get_contents('php://input'));
}
$body = curl_exec($curl);
http_response_code(curl_getinfo($curl, CURLINFO_RESPONSE_CODE));
header('Content-Type: application/json');
if ($fault === 'lose') {
    header('Content-Length: ' . (strlen($body) + 1000));
}
echo $body;
return true;
