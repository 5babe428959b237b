// The raw CBLAS interface, used only as the baseline the LinearAlgebra wrappers are measured against.
#include <cblas.h>
