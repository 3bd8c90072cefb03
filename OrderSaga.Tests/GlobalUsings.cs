global using OrderSaga.Topology;
global using OrderSaga.Testing;
