// The maps of the suite. Each is defined in maps/<name>.cpp; bench_main.cpp
// lists them in the order they appear in every group.
#ifndef EHM_BENCH_REGISTRY_HPP
#define EHM_BENCH_REGISTRY_HPP

#include "suite.hpp"

namespace ehm_bench {

MapRegistration ehm_c_registration();
MapRegistration ehm_cpp_registration();
MapRegistration boost_registration();
MapRegistration absl_registration();
MapRegistration tsl_registration();
MapRegistration std_registration();
MapRegistration glib_registration();

} // namespace ehm_bench

#endif
