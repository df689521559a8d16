<?php

declare(strict_types=1);

namespace Herald\Exception;

/** 405: wrong HTTP method for the endpoint. */
class MethodNotAllowedException extends HeraldException
{
}
