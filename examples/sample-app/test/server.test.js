console.log('tests stay out of the bundle');
