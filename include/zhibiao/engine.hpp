// zhibiao — kept for code written against 0.1: the model and its queries now live in model.hpp.
#pragma once

#include <zhibiao/model.hpp>
